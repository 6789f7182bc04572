// Flattened JWS (RFC 7515 §7.2.2) as ACME carries it (RFC 8555 §6.2): parsed from outside bytes with every field
// checked before use, the key read by node:crypto from its JWK, the signature verified (ES256 or RS256 only).
import { createHash, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AcmeProblem } from './problem.ts';

export type JwsAlg = 'ES256' | 'RS256';

export interface ProtectedHeader {
  alg: JwsAlg;
  nonce: string | null;
  url: string;
  /** Exactly one of kid / jwk is set. */
  kid: string | null;
  jwk: JsonWebKey | null;
}

export interface ParsedJws {
  header: ProtectedHeader;
  /** The payload's bytes; empty for POST-as-GET. */
  payload: Buffer;
  /** What the signature covers: protected "." payload, as sent. */
  signingInput: Buffer;
  signature: Buffer;
}

/** The largest body the server reads; a CSR for 100 names and an RSA-4096 key fits with room. */
export const maxBodyBytes = 64 * 1024;
/** The smallest RSA modulus accepted for an account key. */
export const minRsaBits = 2048;

const base64url = /^[A-Za-z0-9_-]*$/;

function malformed(detail: string): AcmeProblem {
  return new AcmeProblem('malformed', detail);
}

/** Strict base64url (no padding, no other characters), as RFC 7515 writes it. */
export function fromBase64url(text: unknown, what: string): Buffer {
  if (typeof text !== 'string' || !base64url.test(text)) throw malformed(`${what} is not base64url text.`);
  return Buffer.from(text, 'base64url');
}

function jsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw malformed(`${what} is not JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`${what} is not a JSON object.`);
  return value as Record<string, unknown>;
}

const optionalString = (value: unknown, what: string): string | null => {
  if (value === undefined) return null;
  if (typeof value !== 'string') throw malformed(`The protected header's ${what} must be a string.`);
  return value;
};

/** Read a request body as a flattened JWS; nothing is verified yet. */
export function parseJws(body: Buffer): ParsedJws {
  if (body.length > maxBodyBytes) throw malformed(`The request body is over ${maxBodyBytes} bytes.`);
  const outer = jsonObject(body, 'The request body');
  if ('signatures' in outer || 'header' in outer) throw malformed('Only the flattened JWS form with a protected header alone is accepted.');
  const protectedText = outer.protected;
  const payloadText = outer.payload;
  const headerBytes = fromBase64url(protectedText, 'The protected header');
  const payload = fromBase64url(payloadText, 'The payload');
  const signature = fromBase64url(outer.signature, 'The signature');
  const raw = jsonObject(headerBytes, 'The protected header');
  const alg = raw.alg;
  if (alg !== 'ES256' && alg !== 'RS256')
    throw new AcmeProblem('badSignatureAlgorithm', `The algorithm ${JSON.stringify(alg)} is not accepted; use ES256 or RS256.`);
  const url = optionalString(raw.url, 'url');
  if (url === null) throw new AcmeProblem('malformed', 'The protected header has no url.');
  const kid = optionalString(raw.kid, 'kid');
  const jwk = raw.jwk === undefined ? null : raw.jwk;
  if (jwk !== null && (typeof jwk !== 'object' || Array.isArray(jwk))) throw malformed("The protected header's jwk is not an object.");
  if ((kid === null) === (jwk === null)) throw malformed('The protected header must carry exactly one of kid and jwk.');
  return {
    header: { alg, nonce: optionalString(raw.nonce, 'nonce'), url, kid, jwk: jwk as JsonWebKey | null },
    payload,
    signingInput: Buffer.from(`${protectedText as string}.${payloadText as string}`, 'ascii'),
    signature,
  };
}

/** A public key from a JWK, refusing private members, other key types and weak sizes. */
export function publicKeyOf(jwk: JsonWebKey): KeyObject {
  if ('d' in jwk) throw new AcmeProblem('badPublicKey', 'The JWK carries a private key; send the public key only.');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch (error) {
    throw new AcmeProblem('badPublicKey', `The JWK is not a usable public key: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return key;
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= minRsaBits) return key;
  throw new AcmeProblem('badPublicKey', `Account keys must be EC P-256 (ES256) or RSA of ${minRsaBits} bits or more (RS256).`);
}

/** Verify the signature with the key, which must suit the header's alg. */
export function verifyJws(jws: ParsedJws, key: KeyObject): void {
  const ec = key.asymmetricKeyType === 'ec';
  if ((jws.header.alg === 'ES256') !== ec)
    throw new AcmeProblem('badSignatureAlgorithm', `The header says ${jws.header.alg} but the key is ${key.asymmetricKeyType}.`);
  // JWS ES256 signatures are r‖s (IEEE P1363), not DER.
  if (ec && jws.signature.length !== 64) throw malformed('An ES256 signature is 64 bytes.');
  const ok = verify('sha256', jws.signingInput, ec ? { key, dsaEncoding: 'ieee-p1363' } : key, jws.signature);
  if (!ok) throw malformed('The JWS signature does not verify with the key.');
}

/** RFC 7638 thumbprint: SHA-256 over the required members in lexical order, base64url. */
export function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** The payload as a JSON object (an empty payload is POST-as-GET and has none). */
export function payloadObject(jws: ParsedJws): Record<string, unknown> {
  return jsonObject(jws.payload, 'The payload');
}
