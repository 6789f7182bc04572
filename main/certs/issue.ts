// Issuing a leaf: names → key pair → certificate → files (mkcert's names and layout) → an inventory record.
import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { ServiceError } from '../contract/errors.ts';
import { leafOrganization, userAndHost } from './ca.ts';
import { buildLeafCertificate, fingerprint256, nameOf, oid, type IssuedCertificate, type Issuer } from './certificate.ts';
import { forbiddenNames, permitText } from './constraints.ts';
import { readCsr } from './csr.ts';
import { writePublicFile, writeSecretFile } from './files.ts';
import type { IssuedRecord } from './inventory.ts';
import { keyTypeOf, newKeyPair, privateKeyPem, type KeyPair, type KeyType } from './keys.ts';
import type * as der from './der.ts';
import { fileStem, nameWarnings, parseName, parseNames, type CertName } from './names.ts';
import { fileInside } from './safe-name.ts';

/** Apple's limit for TLS server certificates; longer ones are refused by Safari and macOS. */
export const appleMaxDays = 825;
const DAY = 86_400_000;

export interface OutputFiles {
  /** Folder for the default (mkcert) file names. */
  dir: string;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  p12File?: string | undefined;
  /** Write a .p12 instead of PEM files, as mkcert -pkcs12 does. */
  pkcs12: boolean;
  p12Password: string;
}

export interface LeafRequest {
  names: readonly string[];
  keyType: KeyType;
  /** The key pair, when its generation was started ahead (see pendingKeyPair); generated here otherwise. */
  pendingKey?: Promise<KeyPair> | undefined;
  client: boolean;
  days?: number | undefined;
  output: OutputFiles;
}

export interface Issued {
  record: IssuedRecord;
  certificate: IssuedCertificate;
  warnings: string[];
}

function validity(issuer: Issuer, days: number | undefined, warnings: string[]): number | undefined {
  if (days !== undefined && (!Number.isInteger(days) || days < 1))
    throw new ServiceError('invalid-argument', `--days must be a whole number of days, 1 or more (got ${days}).`, { field: 'days' });
  if (days !== undefined && days > appleMaxDays)
    warnings.push(`${days} days is over Apple's ${appleMaxDays}-day limit: Safari and macOS will reject this certificate.`);
  const caEnd = issuer.certificate.notAfter.getTime();
  const wanted = days !== undefined ? Date.now() + days * DAY : null;
  if (wanted !== null && wanted > caEnd)
    throw new ServiceError(
      'invalid-argument',
      `The CA expires on ${issuer.certificate.notAfter.toISOString().slice(0, 10)}, before the ${days} days asked for.`,
      { field: 'days' },
    );
  return days;
}

function checkConstraints(issuer: Issuer, names: readonly CertName[]): void {
  const permits = issuer.certificate.permits;
  if (!permits) return;
  const forbidden = forbiddenNames(names, permits);
  if (forbidden.length === 0) return;
  // A CA made before email and URI constraints were encoded leaves those kinds open, so none is signed under it.
  const mailAndUri =
    permits.email.length === 0
      ? 'Its constraints say nothing of email addresses and URIs, so it signs neither.'
      : 'Email addresses and URIs on those host names are allowed too.';
  throw new ServiceError(
    'invalid-argument',
    `This CA is name-constrained and cannot vouch for ${forbidden.map((n) => `"${n}"`).join(', ')}.`,
    {
      field: 'names',
      hint: `It may only sign names under: ${permitText(permits).join(', ')}. ${mailAndUri}`,
    },
  );
}

/** A path the user gave is theirs to choose; a default name comes from the certificate's names and stays in `dir`. */
function resolveIn(dir: string, file: string | undefined, fallback: string): string {
  return file !== undefined ? path.resolve(dir, file) : fileInside(path.resolve(dir), fallback);
}

/** X.520's upper bound for a common name (RFC 5280 ub-common-name). */
const maxCommonName = 64;

/**
 * The subject of every leaf is Lanyard's own, as mkcert writes it (its organization, the user@host as unit). A CSR's
 * common name is kept only when it reads as one of the certificate's names, already validated and checked against
 * the name constraints; anything else it asked for in its subject is not copied.
 */
export function leafSubject(names: readonly CertName[], requested: string | null, warnings: string[]): der.Node {
  const cn = requested === null ? null : commonNameAmong(requested, names);
  if (requested !== null && cn === null)
    warnings.push(
      `The request's common name ${JSON.stringify(requested.slice(0, maxCommonName))} is not one of its names, so the certificate has no common name.`,
    );
  return nameOf([
    [oid.organization, leafOrganization],
    [oid.organizationalUnit, userAndHost()],
    ...(cn === null ? [] : [[oid.commonName, cn] as const]),
  ]);
}

function commonNameAmong(requested: string, names: readonly CertName[]): string | null {
  let name: CertName;
  try {
    name = parseName(requested);
  } catch {
    return null;
  }
  const listed = names.some((n) => n.kind === name.kind && n.value === name.value);
  return listed && name.value.length <= maxCommonName ? name.value : null;
}

function record(
  certificate: IssuedCertificate,
  names: CertName[],
  keyType: KeyType,
  client: boolean,
  days: number | undefined,
  files: Pick<IssuedRecord, 'certFile' | 'keyFile' | 'p12File' | 'csrFile'>,
  issuer: Issuer,
): IssuedRecord {
  return {
    names,
    keyType,
    client,
    serial: certificate.serial,
    fingerprint: fingerprint256(certificate.der),
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    days: days ?? null,
    ...files,
    caFingerprint: issuer.certificate.fingerprint,
  };
}

async function writeOutputs(
  certificate: IssuedCertificate,
  key: KeyObject | null,
  issuer: Issuer,
  stem: string,
  output: OutputFiles,
): Promise<Pick<IssuedRecord, 'certFile' | 'keyFile' | 'p12File'>> {
  if (output.pkcs12 && key) {
    // node-forge is only needed here: load it on the first .p12.
    const { buildPkcs12 } = await import('./pkcs12.ts');
    const p12File = resolveIn(output.dir, output.p12File, `${stem}.p12`);
    writeSecretFile(
      p12File,
      buildPkcs12({ key, certificates: [certificate.der, issuer.certificate.der], password: output.p12Password, friendlyName: stem }),
    );
    return { certFile: null, keyFile: null, p12File };
  }
  const certFile = resolveIn(output.dir, output.certFile, `${stem}.pem`);
  let keyFile: string | null = null;
  if (key) {
    keyFile = resolveIn(output.dir, output.keyFile, `${stem}-key.pem`);
    // A combined file (same path for both) gets the key first, as mkcert writes it.
    if (keyFile === certFile) writeSecretFile(certFile, privateKeyPem(key) + certificate.pem);
    else writeSecretFile(keyFile, privateKeyPem(key));
  }
  if (keyFile !== certFile) writePublicFile(certFile, certificate.pem);
  return { certFile, keyFile, p12File: null };
}

export async function issueLeaf(issuer: Issuer, request: LeafRequest): Promise<Issued> {
  const names = parseNames(request.names);
  const warnings = nameWarnings(names);
  checkConstraints(issuer, names);
  const days = validity(issuer, request.days, warnings);
  const keyPair = await (request.pendingKey ?? newKeyPair(request.keyType, 'leaf'));
  const certificate = buildLeafCertificate({
    issuer,
    publicKey: keyPair.publicKey,
    names,
    subject: leafSubject(names, null, warnings),
    client: request.client,
    days,
  });
  const files = await writeOutputs(certificate, keyPair.privateKey, issuer, fileStem(names, request.client), request.output);
  return {
    record: record(certificate, names, keyPair.type, request.client, days, { ...files, csrFile: null }, issuer),
    certificate,
    warnings,
  };
}

export interface CsrRequest {
  csrFile: string;
  csrPem: string;
  days?: number | undefined;
  output: OutputFiles;
}

/** Sign a CSR: only the certificate is written (the key never leaves whoever made the request). */
export async function signCsr(issuer: Issuer, request: CsrRequest): Promise<Issued> {
  const csr = readCsr(request.csrPem);
  const warnings = [...csr.warnings, ...nameWarnings(csr.names)];
  checkConstraints(issuer, csr.names);
  const days = validity(issuer, request.days, warnings);
  const subject = leafSubject(csr.names, csr.commonName, warnings);
  const certificate = buildLeafCertificate({ issuer, publicKey: csr.publicKey, names: csr.names, subject, client: csr.client, days });
  const stem = fileStem(csr.names, csr.client);
  const files = await writeOutputs(certificate, null, issuer, stem, { ...request.output, pkcs12: false });
  const keyType = keyTypeOf(csr.publicKey);
  return {
    record: record(certificate, csr.names, keyType, csr.client, days, { ...files, csrFile: request.csrFile }, issuer),
    certificate,
    warnings,
  };
}
