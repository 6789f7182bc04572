// Reading a certificate signing request: its signature must hold, its names become the leaf's names, and of
// its requested extensions only an allow-list is honoured. A request for CA:TRUE or for an EKU beyond
// server/client/email is refused outright; anything else it asks for is dropped and reported.
import { createPublicKey, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { ServiceError } from '../contract/errors.ts';
import { oid } from './certificate.ts';
import { keyTypeOf } from './keys.ts';
import { parseNames, type CertName } from './names.ts';

export interface CsrContents {
  names: CertName[];
  client: boolean;
  subject: x509.Name;
  publicKey: KeyObject;
  warnings: string[];
}

const allowedEkus = new Set<string>([oid.serverAuth, oid.clientAuth, oid.emailProtection]);
/** Honoured (SAN, EKU) or harmless because Lanyard sets its own (KU, basic constraints CA:FALSE, key ids). */
const allowedExtensions = new Set<string>([oid.subjectAltName, oid.extKeyUsage, oid.keyUsage, oid.basicConstraints, oid.subjectKeyId]);

function bad(message: string): ServiceError {
  return new ServiceError('invalid-argument', message, { field: 'csr' });
}

function find<T extends x509.Extension>(csr: x509.Pkcs10CertificateRequest, type: abstract new (...args: never[]) => T): T | undefined {
  return csr.extensions.find((e): e is T => e instanceof type);
}

function sanNames(csr: x509.Pkcs10CertificateRequest): string[] {
  const san = find(csr, x509.SubjectAlternativeNameExtension);
  if (!san) return [];
  return san.names.items.map((n) => {
    if (n.type === 'dns' || n.type === 'email' || n.type === 'url' || n.type === 'ip') return n.value;
    throw bad(`The request names a ${n.type} subject alternative name, which Lanyard does not issue.`);
  });
}

export async function readCsr(pem: string): Promise<CsrContents> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch (error) {
    throw bad(`Not a readable certificate signing request: ${(error as Error).message}`);
  }
  if (!(await csr.verify())) throw bad('The request\'s signature does not verify: it was altered or not made with its key.');
  const warnings: string[] = [];
  for (const extension of csr.extensions) {
    if (extension.type === oid.basicConstraints && find(csr, x509.BasicConstraintsExtension)?.ca) throw bad('The request asks to be a CA (basicConstraints CA:TRUE); Lanyard only signs leaf certificates.');
    if (!allowedExtensions.has(extension.type)) warnings.push(`Ignored the requested extension ${extension.type}.`);
  }
  const eku = find(csr, x509.ExtendedKeyUsageExtension);
  const ekus = (eku?.usages ?? []).map(String);
  const unexpected = ekus.filter((u) => !allowedEkus.has(u));
  if (unexpected.length > 0) throw bad(`The request asks for extended key usages Lanyard does not grant: ${unexpected.join(', ')}.`);

  let inputs = sanNames(csr);
  if (inputs.length === 0) {
    const cn = csr.subjectName.getField('CN')[0];
    if (!cn) throw bad('The request names nothing: it has neither subject alternative names nor a common name.');
    inputs = [cn];
  }
  const publicKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  keyTypeOf(publicKey);
  return { names: parseNames(inputs), client: ekus.includes(oid.clientAuth), subject: csr.subjectName, publicKey, warnings };
}
