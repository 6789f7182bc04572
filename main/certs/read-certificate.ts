// Reading a CA certificate (Lanyard's own or an adopted mkcert root). Node's X509Certificate parses it natively,
// which also refuses a malformed file, and gives the subject as text and the public key; a DER walk gives what
// it does not expose: the serial's own octets, the subject exactly as encoded (every leaf's issuer repeats it),
// the key identifier and the name constraints.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { ServiceError } from '../contract/errors.ts';
import { fingerprint256, generalNameTag, oid } from './certificate.ts';
import type { Permits } from './constraints.ts';
import * as der from './der.ts';
import { ipDisplay, type NameKind } from './names.ts';
import { pemBlock } from './pem.ts';

export interface CaCertificate {
  der: Buffer;
  /** Lower-case hex of the serial's DER content octets, as the inventory and the trust stores use it. */
  serial: string;
  /** "O=…, OU=…, CN=…", for people. */
  subject: string;
  /** The subject name as parsed (a certificate is DER throughout: it encodes back to the same bytes). */
  subjectName: der.Node;
  organization: string | null;
  notBefore: Date;
  notAfter: Date;
  /** Subject key identifier, when the certificate has one (a leaf's authority key identifier points at it). */
  keyId: Buffer | null;
  /** Name constraints; null when the CA may sign any name. */
  permits: Permits | null;
  /** SHA-256, colon-separated upper-case hex. */
  fingerprint: string;
  publicKey: KeyObject;
}

const kindOfTag = new Map<number, NameKind>(Object.entries(generalNameTag).map(([kind, tagByte]) => [tagByte, kind as NameKind]));

/** A GeneralName of a kind Lanyard issues, as its kind and raw bytes; null for the others (directoryName, otherName…). */
export function generalNameOf(node: der.Node): { kind: NameKind; bytes: Buffer } | null {
  const kind = kindOfTag.get(der.tagOf(node));
  return kind ? { kind, bytes: der.content(node) } : null;
}

/** A subjectAltName entry as text: IPs in their usual form, the rest as written (ASCII). */
export function generalNameText(name: { kind: NameKind; bytes: Buffer }): string {
  if (name.kind !== 'ip') return name.bytes.toString('latin1');
  if (name.bytes.length !== 4 && name.bytes.length !== 16) throw new Error('malformed DER: an IP address of neither 4 nor 16 bytes');
  return ipDisplay(name.bytes);
}

/** Real certificates and requests carry about ten; more is a request built to make the reader work. */
export const maxExtensions = 32;

/** Extensions (a SEQUENCE OF Extension) by OID: each one's value, the DER inside its OCTET STRING. */
export function readExtensions(list: der.Node): Map<string, Buffer> {
  const extensions = new Map<string, Buffer>();
  const all = der.children(der.ofTag(list, der.tag.sequence, 'a list of extensions'));
  if (all.length > maxExtensions) throw new Error(`${all.length} extensions, more than the ${maxExtensions} Lanyard reads`);
  for (const extension of all) {
    const parts = der.children(extension);
    extensions.set(der.oidText(parts[0]!), der.content(der.ofTag(parts.at(-1), der.tag.octetString, 'an extension value')));
  }
  return extensions;
}

/** The first value of an attribute (O, CN…) in a distinguished name. */
export function nameAttribute(name: der.Node, type: string): string | null {
  for (const rdn of der.children(name)) {
    for (const attribute of der.children(rdn)) {
      const [id, value] = der.children(attribute);
      if (der.oidText(id!) === type && value) return der.readString(value);
    }
  }
  return null;
}

const prefixLength = (mask: Uint8Array): number => mask.reduce((bits, byte) => bits + (byte === 0xff ? 8 : Math.clz32(~byte << 24)), 0);

/** The permitted subtrees of a name constraints extension, by kind (excluded subtrees are not permits). */
function readPermits(value: Buffer): Permits {
  const permits: Permits = { dns: [], ip: [], email: [], uri: [] };
  const permitted = der.children(der.decode(value)).find((part) => der.tagOf(part) === der.contextTag(0, true));
  for (const subtree of permitted ? der.children(permitted) : []) {
    const name = generalNameOf(der.children(subtree)[0]!);
    if (!name) continue;
    if (name.kind !== 'ip') permits[name.kind].push(name.bytes.toString('latin1'));
    else if (name.bytes.length === 8 || name.bytes.length === 32) {
      const half = name.bytes.length / 2;
      permits.ip.push({ address: name.bytes.subarray(0, half), prefix: prefixLength(name.bytes.subarray(half)) });
    }
  }
  return permits;
}

/** RFC 5280 §4.1.2.2: serials are at most 20 octets (the trust-store name carries the serial in decimal). */
const maxSerialOctets = 20;

/** Read the first certificate of a PEM text (bounded by pem.ts); anything unreadable is a ServiceError saying why. */
export function readCertificate(pem: string): CaCertificate {
  try {
    return readFirst(pem);
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError('invalid-argument', `Not a readable certificate: ${(error as Error).message}`);
  }
}

function readFirst(pem: string): CaCertificate {
  const parsed = new X509Certificate(pemBlock(pem, 'CERTIFICATE'));
  const [tbs] = der.children(der.decode(parsed.raw));
  const fields = der.children(der.ofTag(tbs, der.tag.sequence, 'the to-be-signed certificate'));
  // [0] version, serial, signature algorithm, issuer, validity, subject, public key, … [3] extensions
  const [serial, , , validity, subject] = fields[0] && der.tagOf(fields[0]) === der.contextTag(0, true) ? fields.slice(1) : fields;
  const [notBefore, notAfter] = der.children(der.ofTag(validity, der.tag.sequence, 'the validity'));
  const wrapper = fields.find((f) => der.tagOf(f) === der.contextTag(3, true));
  const extensions = wrapper ? readExtensions(der.children(wrapper)[0]!) : new Map<string, Buffer>();
  const keyId = extensions.get(oid.subjectKeyId);
  const constraints = extensions.get(oid.nameConstraints);
  const subjectName = der.ofTag(subject, der.tag.sequence, 'the subject name');
  const serialOctets = der.content(der.ofTag(serial, der.tag.integer, 'the serial number'));
  if (serialOctets.length > maxSerialOctets)
    throw new Error(`a serial number of ${serialOctets.length} octets (RFC 5280 allows ${maxSerialOctets})`);
  return {
    der: parsed.raw,
    serial: serialOctets.toString('hex'),
    subject: parsed.subject.replaceAll('\n', ', '),
    subjectName,
    organization: nameAttribute(subjectName, oid.organization),
    notBefore: der.readTime(notBefore!),
    notAfter: der.readTime(notAfter!),
    keyId: keyId ? der.content(der.ofTag(der.decode(keyId), der.tag.octetString, 'the subject key identifier')) : null,
    permits: constraints ? readPermits(constraints) : null,
    fingerprint: fingerprint256(parsed.raw),
    publicKey: parsed.publicKey,
  };
}
