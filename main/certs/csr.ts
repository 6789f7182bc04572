// Reading a certificate signing request (PKCS#10, RFC 2986): its signature must hold, its names become the leaf's
// names, and of its requested extensions only an allow-list is honoured. A request for CA:TRUE or for an EKU beyond
// server/client/email is refused outright; anything else it asks for is dropped and reported. Its subject is not
// copied: the issuer builds the leaf's own (issue.ts), taking at most the common name when it is one of the names.
// A request is outside input: bounded in size (pem.ts), nesting (der.ts), names, extensions and attributes.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { ServiceError } from '../contract/errors.ts';
import { oid } from './certificate.ts';
import * as der from './der.ts';
import { keyTypeOf } from './keys.ts';
import { parseNames, type CertName } from './names.ts';
import { pemBlock } from './pem.ts';
import { generalNameOf, generalNameText, nameAttribute, readExtensions } from './read-certificate.ts';

export interface CsrContents {
  names: CertName[];
  client: boolean;
  /** The subject's common name as requested (untrusted text: the issuer decides whether it appears). */
  commonName: string | null;
  publicKey: KeyObject;
  warnings: string[];
}

const extensionRequest = '1.2.840.113549.1.9.14';
/** As many names as a Let's Encrypt certificate may carry; a request with more is not a development certificate. */
export const maxCsrNames = 100;
/** Requests made by openssl, mkcert, Go or Java carry one or two attributes. */
export const maxCsrAttributes = 8;
const allowedEkus = new Set<string>([oid.serverAuth, oid.clientAuth, oid.emailProtection]);
/** Honoured (SAN, EKU) or harmless because Lanyard sets its own (KU, basic constraints CA:FALSE, key ids). */
const allowedExtensions = new Set<string>([oid.subjectAltName, oid.extKeyUsage, oid.keyUsage, oid.basicConstraints, oid.subjectKeyId]);
/** The signature algorithms requests are made with (PKCS#1 v1.5 RSA and ECDSA), by OID, as the hash they use. */
const signatureHashes = new Map<string, string>([
  ['1.2.840.113549.1.1.5', 'sha1'],
  ['1.2.840.113549.1.1.11', 'sha256'],
  ['1.2.840.113549.1.1.12', 'sha384'],
  ['1.2.840.113549.1.1.13', 'sha512'],
  ['1.2.840.10045.4.1', 'sha1'],
  ['1.2.840.10045.4.3.2', 'sha256'],
  ['1.2.840.10045.4.3.3', 'sha384'],
  ['1.2.840.10045.4.3.4', 'sha512'],
]);
/** GeneralName choices by tag number (RFC 5280 §4.2.1.6), to name the ones Lanyard does not issue. */
const generalNameKinds = [
  'otherName',
  'rfc822Name',
  'dNSName',
  'x400Address',
  'directoryName',
  'ediPartyName',
  'uniformResourceIdentifier',
  'iPAddress',
  'registeredID',
];

function bad(message: string): ServiceError {
  return new ServiceError('invalid-argument', message, { field: 'csr' });
}

function sanNames(value: Buffer | undefined): string[] {
  if (!value) return [];
  const entries = der.children(der.decode(value));
  if (entries.length > maxCsrNames)
    throw bad(`The request names ${entries.length} subject alternative names; Lanyard signs at most ${maxCsrNames}.`);
  return entries.map((node) => {
    const name = generalNameOf(node);
    if (!name)
      throw bad(
        `The request names a subject alternative name of a kind Lanyard does not issue (${generalNameKinds[node.type] ?? `tag ${der.tagOf(node)}`}).`,
      );
    return generalNameText(name);
  });
}

interface Parsed {
  info: der.Node;
  subject: der.Node;
  spki: der.Node;
  extensions: Map<string, Buffer>;
  algorithm: string;
  signature: Buffer;
}

function parse(pem: string): Parsed {
  const [info, algorithm, signature] = der.children(der.decode(pemBlock(pem, 'CERTIFICATE REQUEST')));
  // version, subject, public key info, [0] attributes
  const [, subject, spki, attributes] = der.children(der.ofTag(info, der.tag.sequence, 'the request info'));
  let extensions = new Map<string, Buffer>();
  const attributeList = attributes ? der.children(der.ofTag(attributes, der.contextTag(0, true), 'the attributes')) : [];
  if (attributeList.length > maxCsrAttributes)
    throw bad(`The request has ${attributeList.length} attributes; Lanyard reads at most ${maxCsrAttributes}.`);
  for (const attribute of attributeList) {
    const [type, values] = der.children(attribute);
    if (der.oidText(type!) === extensionRequest) extensions = readExtensions(der.children(values!)[0]!);
  }
  const bits = der.content(der.ofTag(signature, der.tag.bitString, 'the signature'));
  return {
    info: info!,
    subject: der.ofTag(subject, der.tag.sequence, 'the subject name'),
    spki: der.ofTag(spki, der.tag.sequence, 'the public key'),
    extensions,
    algorithm: der.oidText(der.children(der.ofTag(algorithm, der.tag.sequence, 'the signature algorithm'))[0]!),
    signature: bits.subarray(1),
  };
}

export function readCsr(pem: string): CsrContents {
  try {
    return readVerified(pem);
  } catch (error) {
    // A DER or key decoding failure anywhere in the request (its extensions included) is the request's fault.
    if (error instanceof ServiceError) throw error;
    throw bad(`Not a readable certificate signing request: ${(error as Error).message}`);
  }
}

function readVerified(pem: string): CsrContents {
  const csr = parse(pem);
  const publicKey = createPublicKey({ key: der.encode(csr.spki), format: 'der', type: 'spki' });
  const hash = signatureHashes.get(csr.algorithm);
  if (!hash) throw bad(`The request is signed with ${csr.algorithm}, which Lanyard does not check (it checks RSA PKCS#1 v1.5 and ECDSA).`);
  // RFC 2986 §4.2 signs the DER of the request info, which is what encoding the parsed info gives.
  if (!verify(hash, der.encode(csr.info), publicKey, csr.signature))
    throw bad("The request's signature does not verify: it was altered or not made with its key.");

  const warnings: string[] = [];
  for (const [id, value] of csr.extensions) {
    // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, … }
    const first = id === oid.basicConstraints ? der.children(der.decode(value))[0] : undefined;
    const ca = first !== undefined && der.tagOf(first) === der.tag.boolean && der.content(first)[0] !== 0;
    if (ca) throw bad('The request asks to be a CA (basicConstraints CA:TRUE); Lanyard only signs leaf certificates.');
    if (!allowedExtensions.has(id)) warnings.push(`Ignored the requested extension ${id}.`);
  }
  const eku = csr.extensions.get(oid.extKeyUsage);
  const ekus = eku ? der.children(der.decode(eku)).map(der.oidText) : [];
  const unexpected = ekus.filter((u) => !allowedEkus.has(u));
  if (unexpected.length > 0) throw bad(`The request asks for extended key usages Lanyard does not grant: ${unexpected.join(', ')}.`);

  const commonName = nameAttribute(csr.subject, oid.commonName);
  let inputs = sanNames(csr.extensions.get(oid.subjectAltName));
  if (inputs.length === 0) {
    if (!commonName) throw bad('The request names nothing: it has neither subject alternative names nor a common name.');
    inputs = [commonName];
  }
  keyTypeOf(publicKey);
  return { names: parseNames(inputs), client: ekus.includes(oid.clientAuth), commonName, publicKey, warnings };
}
