// Key pairs and their PEM forms, all from Node's native crypto (never a pure-JS implementation).
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { ServiceError } from '../contract/errors.ts';

export type KeyType = 'ecdsa' | 'rsa';

const generate = promisify(generateKeyPair);

export interface KeyPair {
  type: KeyType;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * ECDSA P-256, or RSA: 3072 bits for a CA (mkcert's root size, right for ten years), 2048 for a leaf
 * (mkcert's leaf size; leaves live two years at most, and RSA-3072 key generation costs 3–5× more).
 */
export async function newKeyPair(type: KeyType, role: 'ca' | 'leaf'): Promise<KeyPair> {
  const pair =
    type === 'ecdsa'
      ? await generate('ec', { namedCurve: 'P-256' })
      : await generate('rsa', { modulusLength: role === 'ca' ? 3072 : 2048 });
  return { type, ...pair };
}

/** A key pair started now and awaited later, generated on libuv's threads meanwhile. */
export function pendingKeyPair(type: KeyType, role: 'ca' | 'leaf'): Promise<KeyPair> {
  const pending = newKeyPair(type, role);
  // Whoever awaits it sees a failure; until then it must not count as an unhandled rejection.
  pending.catch(() => undefined);
  return pending;
}

export function keyTypeOf(key: KeyObject): KeyType {
  if (key.asymmetricKeyType === 'ec') return 'ecdsa';
  if (key.asymmetricKeyType === 'rsa') return 'rsa';
  throw new ServiceError(
    'invalid-argument',
    `Keys of type ${key.asymmetricKeyType ?? 'unknown'} are not supported; use ECDSA P-256 or RSA.`,
  );
}

/** PKCS#8 PEM; with a passphrase, PBES2 (PBKDF2-HMAC-SHA256) + AES-256-CBC, as OpenSSL 3 writes it. */
export function privateKeyPem(key: KeyObject, passphrase?: string): string {
  if (passphrase) return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }) as string;
  return key.export({ type: 'pkcs8', format: 'pem' }) as string;
}

/** Read a private key PEM (PKCS#8, SEC1 or PKCS#1; encrypted or not). */
export function readPrivateKey(pem: string, passphrase?: string): KeyObject {
  const encrypted = pem.includes('ENCRYPTED');
  if (encrypted && !passphrase) {
    throw new ServiceError('invalid-argument', 'The CA key is protected by a passphrase.', {
      field: 'caPassphrase',
      hint: 'Give it with --ca-passphrase-file FILE or LANYARD_CA_PASSPHRASE.',
    });
  }
  try {
    return createPrivateKey(encrypted ? { key: pem, passphrase: passphrase! } : { key: pem });
  } catch (error) {
    if (encrypted) throw new ServiceError('invalid-argument', 'The CA key passphrase is wrong.', { field: 'caPassphrase' });
    throw new ServiceError('invalid-argument', `The CA key cannot be read: ${(error as Error).message}`);
  }
}
