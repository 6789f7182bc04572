// The CA on disk: create it (once), load it, unlock its key. mkcert's file names and formats, so an
// mkcert CAROOT works as is and mkcert can keep using a Lanyard CAROOT (unless its key has a passphrase).
import { existsSync } from 'node:fs';
import os from 'node:os';
import { ServiceError } from '../contract/errors.ts';
import { buildCaCertificate, type Issuer } from './certificate.ts';
import type { CaRoot } from './ca-root.ts';
import type { Permits } from './constraints.ts';
import { writePublicFile, writeSecretFile } from './files.ts';
import { newKeyPair, privateKeyPem, readPrivateKey, type KeyType } from './keys.ts';
import { readPemFile } from './pem.ts';
import { readCertificate, type CaCertificate } from './read-certificate.ts';

export const caOrganization = 'Lanyard development CA';
export const leafOrganization = 'Lanyard development certificate';

/** user@host, as mkcert puts it in its subjects so a user can tell machines' roots apart. */
export function userAndHost(): string {
  let user = 'user';
  try {
    user = os.userInfo().username;
  } catch {
    // no passwd entry (some containers): keep the placeholder
  }
  return `${user}@${os.hostname()}`;
}

export interface LoadedCa {
  root: CaRoot;
  certificate: CaCertificate;
  certPem: string;
  /** Null when the folder holds only the certificate (mkcert after the key was removed). */
  keyPem: string | null;
}

export function caExists(root: CaRoot): boolean {
  return existsSync(root.certFile);
}

export function noCa(root: CaRoot): ServiceError {
  return new ServiceError('not-found', `There is no CA in ${root.dir}.`, {
    hint: 'Create one with `lanyard cert --create-ca` or issue a certificate (which creates it).',
  });
}

export function loadCa(root: CaRoot): LoadedCa {
  if (!caExists(root)) throw noCa(root);
  // Both files are read within pem.ts's bound: an adopted or CAROOT folder is not necessarily Lanyard's own.
  const certPem = readPemFile(root.certFile);
  let certificate: CaCertificate;
  try {
    certificate = readCertificate(certPem);
  } catch (error) {
    throw new ServiceError('failed', `${root.certFile}: ${(error as Error).message}`);
  }
  return { root, certificate, certPem, keyPem: existsSync(root.keyFile) ? readPemFile(root.keyFile) : null };
}

export interface CreateCaOptions {
  keyType: KeyType;
  permits: Permits | null;
  passphrase?: string;
}

export async function createCa(root: CaRoot, options: CreateCaOptions): Promise<LoadedCa> {
  if (caExists(root))
    throw new ServiceError('invalid-argument', `A CA already exists in ${root.dir}.`, {
      hint: 'Uninstall and delete it first (`lanyard cert -uninstall --delete-ca`), or set CAROOT to another folder.',
    });
  const keyPair = await newKeyPair(options.keyType, 'ca');
  const who = userAndHost();
  const certificate = buildCaCertificate({
    keyPair,
    commonName: `Lanyard ${who}`,
    organization: caOrganization,
    unit: who,
    years: 10,
    permits: options.permits,
  });
  const keyPem = privateKeyPem(keyPair.privateKey, options.passphrase);
  // Key first: a certificate without its key would look like a usable CA.
  writeSecretFile(root.keyFile, keyPem);
  writePublicFile(root.certFile, certificate.pem);
  return loadCa(root);
}

export function isKeyEncrypted(ca: LoadedCa): boolean {
  return ca.keyPem?.includes('ENCRYPTED') ?? false;
}

export function unlockCa(ca: LoadedCa, passphrase?: string): Issuer {
  if (!ca.keyPem)
    throw new ServiceError('not-found', `The CA key (${ca.root.keyFile}) is missing, so this CA can no longer sign.`, {
      hint: 'Create a new CA in another CAROOT.',
    });
  const privateKey = readPrivateKey(ca.keyPem, passphrase);
  return { certificate: ca.certificate, privateKey };
}
