// The one module that builds X.509 certificates (CA, leaf, CSR-signed leaf): the to-be-signed part written as
// DER here (node-forge's ASN.1, through der.ts), the signature made by Node's native crypto with the KeyObject as
// it is. Everything else in certs/ asks this module; read-certificate.ts reads what it (or mkcert) wrote.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { maskRange, type Permits } from './constraints.ts';
import * as der from './der.ts';
import { keyTypeOf, type KeyType } from './keys.ts';
import { ipBytes, type CertName } from './names.ts';
import type { CaCertificate } from './read-certificate.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const oid = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  nameConstraints: '2.5.29.30',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

/** GeneralName choices (RFC 5280 §4.2.1.6) Lanyard writes: IMPLICIT, so a primitive [n] around the bytes. */
export const generalNameTag = {
  email: der.contextTag(1, false),
  dns: der.contextTag(2, false),
  uri: der.contextTag(6, false),
  ip: der.contextTag(7, false),
} as const;

/** Key usage bit numbers (RFC 5280 §4.2.1.3). */
const usage = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

/** What issuing produced: the certificate in both encodings and the facts the inventory records. */
export interface IssuedCertificate {
  der: Buffer;
  pem: string;
  /** Lower-case hex of the serial's DER content octets. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

export interface Issuer {
  certificate: CaCertificate;
  privateKey: KeyObject;
}

/** 128 random bits, positive (top bit clear) and with a non-zero first byte: already a minimal DER INTEGER of 16 bytes. */
function newSerial(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes;
}

/** A distinguished name, one attribute per RDN, in the order given, as UTF8Strings. */
export const nameOf = (attributes: readonly (readonly [type: string, value: string])[]): der.Node =>
  der.sequence(...attributes.map(([type, value]) => der.set(der.sequence(der.objectId(type), der.utf8String(value)))));

/** The public key info (DER) of a key. */
export const spkiOf = (publicKey: KeyObject): Buffer => publicKey.export({ type: 'spki', format: 'der' });

/** RFC 7093 method 4 key identifier: the leftmost 160 bits of the SHA-256 of the public key info. */
const keyIdOf = (spki: Buffer): Buffer => createHash('sha256').update(spki).digest().subarray(0, 20);

function extension(id: string, critical: boolean, value: der.Node): der.Node {
  return der.sequence(der.objectId(id), ...(critical ? [der.boolean(true)] : []), der.octetString(der.encode(value)));
}

const signatureAlgorithm = (type: KeyType): der.Node =>
  type === 'ecdsa' ? der.sequence(der.objectId(oid.ecdsaWithSha256)) : der.sequence(der.objectId(oid.sha256WithRsa), der.nullValue());

/** X.509 keeps whole seconds: dates are truncated before use so the record matches the certificate. */
const wholeSeconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

interface Unsigned {
  issuerName: der.Node;
  subjectName: der.Node;
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: der.Node[];
  signer: KeyObject;
}

function signCertificate(spec: Unsigned): IssuedCertificate {
  const serial = newSerial();
  const algorithm = signatureAlgorithm(keyTypeOf(spec.signer));
  const tbs = der.sequence(
    der.constructed(der.contextTag(0, true), der.integer(2)), // v3
    der.primitive(der.tag.integer, serial),
    algorithm,
    spec.issuerName,
    der.sequence(der.time(spec.notBefore), der.time(spec.notAfter)),
    spec.subjectName,
    der.decode(spec.spki),
    der.constructed(der.contextTag(3, true), der.sequence(...spec.extensions)),
  );
  // ECDSA signatures come DER-encoded (r, s), as X.509 wants them; RSA uses PKCS#1 v1.5.
  const certificate = der.encode(der.sequence(tbs, algorithm, der.bitString(sign('sha256', der.encode(tbs), spec.signer))));
  return {
    der: certificate,
    pem: der.toPem(certificate, 'CERTIFICATE'),
    serial: serial.toString('hex'),
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
  };
}

function generalName(kind: keyof typeof generalNameTag, value: string | Uint8Array): der.Node {
  // These are IA5Strings: names.ts has already made every name ASCII (IDNA, percent-encoding).
  if (typeof value === 'string' && !/^[\x20-\x7e]*$/.test(value)) throw new Error(`"${value}" is not ASCII and cannot be an IA5String`);
  return der.primitive(generalNameTag[kind], typeof value === 'string' ? Buffer.from(value, 'ascii') : value);
}

function nameConstraints(permits: Permits): der.Node {
  const subtree = (name: der.Node) => der.sequence(name);
  const range = (address: Uint8Array, prefix: number) =>
    generalName('ip', Buffer.concat([address, maskRange(new Uint8Array(address.length).fill(0xff), prefix)]));
  const permitted = [
    ...permits.dns.map((d) => subtree(generalName('dns', d))),
    ...permits.ip.map((r) => subtree(range(r.address, r.prefix))),
    ...permits.email.map((e) => subtree(generalName('email', e))),
    ...permits.uri.map((u) => subtree(generalName('uri', u))),
  ];
  // With no IP range permitted, RFC 5280 would leave IP addresses unconstrained: exclude them all instead.
  const excluded = permits.ip.length > 0 ? [] : [subtree(range(new Uint8Array(4), 0)), subtree(range(new Uint8Array(16), 0))];
  return der.sequence(
    der.constructed(der.contextTag(0, true), ...permitted),
    ...(excluded.length > 0 ? [der.constructed(der.contextTag(1, true), ...excluded)] : []),
  );
}

export interface CaSpec {
  keyPair: { privateKey: KeyObject; publicKey: KeyObject };
  commonName: string;
  organization: string;
  unit: string;
  years: number;
  permits: Permits | null;
  now?: Date;
}

export function buildCaCertificate(spec: CaSpec): IssuedCertificate {
  const now = spec.now ?? new Date();
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + spec.years);
  const name = nameOf([
    [oid.organization, spec.organization],
    [oid.organizationalUnit, spec.unit],
    [oid.commonName, spec.commonName],
  ]);
  const spki = spkiOf(spec.keyPair.publicKey);
  const extensions = [
    extension(oid.basicConstraints, true, der.sequence(der.boolean(true), der.integer(0))), // CA:TRUE, pathlen 0
    extension(oid.keyUsage, true, der.namedBits([usage.keyCertSign, usage.cRLSign])),
    extension(oid.subjectKeyId, false, der.octetString(keyIdOf(spki))),
  ];
  if (spec.permits) extensions.push(extension(oid.nameConstraints, true, nameConstraints(spec.permits)));
  return signCertificate({
    issuerName: name,
    subjectName: name,
    notBefore: wholeSeconds(now.getTime() - HOUR),
    notAfter: wholeSeconds(notAfter.getTime()),
    spki,
    extensions,
    signer: spec.keyPair.privateKey,
  });
}

export interface LeafSpec {
  issuer: Issuer;
  publicKey: KeyObject;
  names: readonly CertName[];
  /** The subject name (an empty SEQUENCE for none). */
  subject: der.Node;
  client: boolean;
  /** Validity in days from now; absent: mkcert's now + 2 years 3 months. */
  days?: number | undefined;
  now?: Date;
}

/** mkcert's default leaf lifetime: 2 years and 3 months (stays under Apple's 825-day limit). */
function defaultNotAfter(now: Date): Date {
  const end = new Date(now);
  end.setUTCMonth(end.getUTCMonth() + 27);
  return end;
}

/** EKUs as mkcert chooses them: clientAuth for -client, serverAuth for hosts/IPs/URIs, emailProtection for emails. */
function extendedKeyUsages(names: readonly CertName[], client: boolean): string[] {
  const usages: string[] = [];
  if (client) usages.push(oid.clientAuth);
  if (names.some((n) => n.kind !== 'email')) usages.push(oid.serverAuth);
  if (names.some((n) => n.kind === 'email')) usages.push(oid.emailProtection);
  return usages;
}

function sanEntry(name: CertName): der.Node {
  if (name.kind === 'ip') return generalName('ip', ipBytes(name.value)!);
  return generalName(name.kind, name.value);
}

export function buildLeafCertificate(spec: LeafSpec): IssuedCertificate {
  const now = spec.now ?? new Date();
  const notAfter = spec.days !== undefined ? new Date(now.getTime() + spec.days * DAY) : defaultNotAfter(now);
  const spki = spkiOf(spec.publicKey);
  // digitalSignature always; keyEncipherment only for RSA (an ECDSA key cannot encipher).
  const keyUsage = keyTypeOf(spec.publicKey) === 'rsa' ? [usage.digitalSignature, usage.keyEncipherment] : [usage.digitalSignature];
  const subject = spec.subject;
  const emptySubject = der.children(subject).length === 0;
  const extensions = [
    extension(oid.keyUsage, true, der.namedBits(keyUsage)),
    extension(oid.extKeyUsage, false, der.sequence(...extendedKeyUsages(spec.names, spec.client).map(der.objectId))),
    extension(oid.basicConstraints, true, der.sequence()), // CA:FALSE
    extension(oid.subjectKeyId, false, der.octetString(keyIdOf(spki))),
    // Critical when the subject is empty, as RFC 5280 §4.2.1.6 requires.
    extension(oid.subjectAltName, emptySubject, der.sequence(...spec.names.map(sanEntry))),
  ];
  const caKeyId = spec.issuer.certificate.keyId;
  if (caKeyId) extensions.push(extension(oid.authorityKeyId, false, der.sequence(der.primitive(der.contextTag(0, false), caKeyId))));
  return signCertificate({
    issuerName: spec.issuer.certificate.subjectName,
    subjectName: subject,
    notBefore: wholeSeconds(now.getTime() - HOUR),
    notAfter: wholeSeconds(notAfter.getTime()),
    spki,
    extensions,
    signer: spec.issuer.privateKey,
  });
}

/** SHA-256 of the DER as colon-separated upper-case hex, as browsers and openssl print it. */
export function fingerprint256(certificateDer: Uint8Array): string {
  return createHash('sha256').update(certificateDer).digest('hex').toUpperCase().match(/../g)!.join(':');
}
