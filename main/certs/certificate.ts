// The one module that builds X.509 certificates (CA, leaf, CSR-signed leaf), with @peculiar/x509 over
// Node's WebCrypto: keys and signatures stay native. Everything else in certs/ asks this module.
import { createHash, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
// tsyringe (under @peculiar/x509) refuses to load without the Reflect metadata API.
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName as AsnGeneralName, GeneralSubtree, GeneralSubtrees, id_ce_nameConstraints, NameConstraints } from '@peculiar/asn1-x509';
import * as x509 from '@peculiar/x509';
import { ipBytes, ipText, type CertName } from './names.ts';
import type { Permits } from './constraints.ts';
import { keyTypeOf, signingParams, toSigningKey, type KeyType } from './keys.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const oid = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  nameConstraints: id_ce_nameConstraints,
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
} as const;

/** 128 random bits, positive (top bit clear) and with a non-zero first byte so DER keeps all 16 bytes. */
export function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** The public key info (DER) and its RFC 7093 method-4 key identifier: the leftmost 160 bits of its SHA-256. */
function publicKeyInfo(publicKey: KeyObject): { der: ArrayBuffer; keyId: string } {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { der: der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength) as ArrayBuffer, keyId: createHash('sha256').update(der).digest().subarray(0, 20).toString('hex') };
}

function nameConstraintsExtension(permits: Permits): x509.Extension {
  const subtree = (name: AsnGeneralName) => new GeneralSubtree({ base: name });
  const permitted = [
    ...permits.dns.map((d) => subtree(new AsnGeneralName({ dNSName: d }))),
    ...permits.ip.map((r) => subtree(new AsnGeneralName({ iPAddress: `${ipText(r.address)}/${r.prefix}` }))),
  ];
  // With no IP range permitted, RFC 5280 would leave IP addresses unconstrained: exclude them all instead.
  const excluded = permits.ip.length > 0 ? [] : [subtree(new AsnGeneralName({ iPAddress: '0.0.0.0/0' })), subtree(new AsnGeneralName({ iPAddress: '0:0:0:0:0:0:0:0/0' }))];
  const value = new NameConstraints({
    permittedSubtrees: new GeneralSubtrees(permitted),
    ...(excluded.length > 0 ? { excludedSubtrees: new GeneralSubtrees(excluded) } : {}),
  });
  return new x509.Extension(oid.nameConstraints, true, AsnConvert.serialize(value));
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

export async function buildCaCertificate(spec: CaSpec): Promise<x509.X509Certificate> {
  const now = spec.now ?? new Date();
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + spec.years);
  const subject: x509.JsonName = [{ O: [spec.organization] }, { OU: [spec.unit] }, { CN: [spec.commonName] }];
  const type = keyTypeOf(spec.keyPair.privateKey);
  const info = publicKeyInfo(spec.keyPair.publicKey);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, 0, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    new x509.SubjectKeyIdentifierExtension(info.keyId),
  ];
  if (spec.permits) extensions.push(nameConstraintsExtension(spec.permits));
  return x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject,
    issuer: subject,
    notBefore: new Date(now.getTime() - HOUR),
    notAfter,
    publicKey: info.der,
    signingKey: toSigningKey(spec.keyPair.privateKey),
    signingAlgorithm: signingParams(type),
    extensions,
  });
}

export interface Issuer {
  certificate: x509.X509Certificate;
  privateKey: KeyObject;
  /** Cached so every leaf doesn't re-import the key into WebCrypto. */
  signingKey?: CryptoKey;
}

export interface LeafSpec {
  issuer: Issuer;
  publicKey: KeyObject;
  names: readonly CertName[];
  subject: x509.JsonName | x509.Name;
  client: boolean;
  /** Validity in days from now; absent: mkcert's now + 2 years 3 months. */
  days?: number;
  now?: Date;
}

/** mkcert's default leaf lifetime: 2 years and 3 months (stays under Apple's 825-day limit). */
export function defaultNotAfter(now: Date): Date {
  const end = new Date(now);
  end.setUTCMonth(end.getUTCMonth() + 27);
  return end;
}

/** EKUs as mkcert chooses them: clientAuth for -client, serverAuth for hosts/IPs/URIs, emailProtection for emails. */
export function extendedKeyUsages(names: readonly CertName[], client: boolean): string[] {
  const usages: string[] = [];
  if (client) usages.push(oid.clientAuth);
  if (names.some((n) => n.kind !== 'email')) usages.push(oid.serverAuth);
  if (names.some((n) => n.kind === 'email')) usages.push(oid.emailProtection);
  return usages;
}

/** digitalSignature always; keyEncipherment only for RSA (an ECDSA key cannot encipher). */
export function leafKeyUsage(type: KeyType): number {
  return x509.KeyUsageFlags.digitalSignature | (type === 'rsa' ? x509.KeyUsageFlags.keyEncipherment : 0);
}

function sanEntry(name: CertName): x509.JsonGeneralName {
  if (name.kind === 'ip') return { type: 'ip', value: ipText(ipBytes(name.value)!) };
  if (name.kind === 'email') return { type: 'email', value: name.value };
  if (name.kind === 'uri') return { type: 'url', value: name.value };
  return { type: 'dns', value: name.value };
}

export async function buildLeafCertificate(spec: LeafSpec): Promise<x509.X509Certificate> {
  const now = spec.now ?? new Date();
  const notAfter = spec.days !== undefined ? new Date(now.getTime() + spec.days * DAY) : defaultNotAfter(now);
  const issuerType = keyTypeOf(spec.issuer.privateKey);
  spec.issuer.signingKey ??= toSigningKey(spec.issuer.privateKey);
  const caKeyId = spec.issuer.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const info = publicKeyInfo(spec.publicKey);
  const extensions: x509.Extension[] = [
    new x509.KeyUsagesExtension(leafKeyUsage(keyTypeOf(spec.publicKey)), true),
    new x509.ExtendedKeyUsageExtension(extendedKeyUsages(spec.names, spec.client)),
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.SubjectKeyIdentifierExtension(info.keyId),
    // Critical when the subject is empty, as RFC 5280 §4.2.1.6 requires.
    new x509.SubjectAlternativeNameExtension(spec.names.map(sanEntry), (Array.isArray(spec.subject) ? spec.subject : spec.subject.toJSON()).length === 0),
  ];
  if (caKeyId) extensions.push(new x509.AuthorityKeyIdentifierExtension(caKeyId));
  return x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: spec.subject,
    issuer: spec.issuer.certificate.subjectName,
    notBefore: new Date(now.getTime() - HOUR),
    notAfter,
    publicKey: info.der,
    signingKey: spec.issuer.signingKey,
    signingAlgorithm: signingParams(issuerType),
    extensions,
  });
}

export function parseCertificate(pem: string): x509.X509Certificate {
  return new x509.X509Certificate(pem);
}

/** Permits carried by a CA certificate's name constraints; null when it has none. */
export function permitsOf(certificate: x509.X509Certificate): Permits | null {
  const extension = certificate.extensions.find((e) => e.type === oid.nameConstraints);
  if (!extension) return null;
  const value = AsnConvert.parse(extension.value, NameConstraints);
  const permits: Permits = { dns: [], ip: [] };
  for (const subtree of value.permittedSubtrees ?? []) {
    if (subtree.base.dNSName !== undefined) permits.dns.push(subtree.base.dNSName);
    if (subtree.base.iPAddress !== undefined) {
      const [address, prefix] = subtree.base.iPAddress.split('/');
      permits.ip.push({ address: ipBytes(address!)!, prefix: Number(prefix) });
    }
  }
  return permits;
}

export function fingerprint256(certificate: x509.X509Certificate): string {
  return createHash('sha256').update(new Uint8Array(certificate.rawData)).digest('hex').toUpperCase().match(/../g)!.join(':');
}

export function certificateKeyType(certificate: x509.X509Certificate): KeyType {
  return keyTypeOf(createPublicKey({ key: Buffer.from(certificate.publicKey.rawData), format: 'der', type: 'spki' }));
}
