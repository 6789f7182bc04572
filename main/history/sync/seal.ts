// A segment file's envelope. AES-256-GCM from node:crypto: hardware-accelerated, no dependency; XChaCha20-Poly1305
// would need one (Node has only the 96-bit-nonce ChaCha20-Poly1305), and its longer nonce buys nothing here: each
// segment's body is sealed under a key of its own, used once, and the 2^32 wraps a random 96-bit nonce allows per
// master key are far beyond any history's segments.
//
//   header (authenticated, not secret; 46 bytes)
//     "LNYS" · version 1 · compression (1 brotli, 2 deflate) · key id (8: whose master key sealed it)
//     · host id (16) · first seq (8) · last seq (8)
//   wrapped segment key: nonce (12) · AES-256-GCM(master, segment key, aad = header) (32) · tag (16)
//   body: nonce (12) · AES-256-GCM(segment key, compressed records, aad = header) · tag (16)
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export const segmentVersion = 1;
const magic = Buffer.from('LNYS');
export const headerBytes = 4 + 1 + 1 + 8 + 16 + 8 + 8;
const nonceBytes = 12;
const tagBytes = 16;
const wrappedBytes = nonceBytes + 32 + tagBytes;
export const envelopeBytes = headerBytes + wrappedBytes + nonceBytes + tagBytes;

export type Compression = 1 | 2;

export interface SegmentHeader {
  compression: Compression;
  keyId: Buffer;
  hostId: Buffer;
  seqFrom: number;
  seqTo: number;
}

/** Why a segment could not be opened: it was sealed with another key, or it is damaged (truncated, tampered). */
export class SegmentError extends Error {
  readonly kind: 'wrong-key' | 'damaged';
  constructor(kind: 'wrong-key' | 'damaged', message: string) {
    super(message);
    this.kind = kind;
  }
}

/** Eight bytes naming a master key without revealing it: a reader tells a wrong key from a damaged file. */
export function keyId(master: Uint8Array): Buffer {
  return createHmac('sha256', master).update('lanyard sync key id').digest().subarray(0, 8);
}

function encodeHeader(h: SegmentHeader): Buffer {
  const out = Buffer.alloc(headerBytes);
  magic.copy(out, 0);
  out[4] = segmentVersion;
  out[5] = h.compression;
  h.keyId.copy(out, 6);
  h.hostId.copy(out, 14);
  out.writeBigUInt64BE(BigInt(h.seqFrom), 30);
  out.writeBigUInt64BE(BigInt(h.seqTo), 38);
  return out;
}

/** The header alone (no key needed); throws SegmentError when it is not one. */
export function readHeader(file: Uint8Array): SegmentHeader {
  const b = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (b.length < envelopeBytes || !b.subarray(0, 4).equals(magic)) throw new SegmentError('damaged', 'not a Lanyard segment, or cut short');
  if (b[4] !== segmentVersion)
    throw new SegmentError('damaged', `segment format ${b[4]} is newer than this Lanyard reads (${segmentVersion}): update Lanyard`);
  const compression = b[5];
  if (compression !== 1 && compression !== 2) throw new SegmentError('damaged', `unknown compression ${compression}`);
  const seqFrom = b.readBigUInt64BE(30);
  const seqTo = b.readBigUInt64BE(38);
  if (seqFrom < 1n || seqTo < seqFrom || seqTo > BigInt(Number.MAX_SAFE_INTEGER)) throw new SegmentError('damaged', 'bad sequence range');
  return {
    compression,
    keyId: Buffer.from(b.subarray(6, 14)),
    hostId: Buffer.from(b.subarray(14, 30)),
    seqFrom: Number(seqFrom),
    seqTo: Number(seqTo),
  };
}

function gcm(key: Uint8Array, nonce: Buffer, aad: Buffer, plain: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(aad);
  return Buffer.concat([nonce, c.update(plain), c.final(), c.getAuthTag()]);
}

function ungcm(key: Uint8Array, sealed: Buffer, aad: Buffer): Buffer {
  const nonce = sealed.subarray(0, nonceBytes);
  const tag = sealed.subarray(sealed.length - tagBytes);
  const d = createDecipheriv('aes-256-gcm', key, nonce);
  d.setAAD(aad);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(sealed.subarray(nonceBytes, sealed.length - tagBytes)), d.final()]);
}

export function seal(master: Uint8Array, header: Omit<SegmentHeader, 'keyId'>, body: Uint8Array): Buffer {
  const aad = encodeHeader({ ...header, keyId: keyId(master) });
  const segmentKey = randomBytes(32);
  const wrapped = gcm(master, randomBytes(nonceBytes), aad, segmentKey);
  return Buffer.concat([aad, wrapped, gcm(segmentKey, randomBytes(nonceBytes), aad, body)]);
}

/** The compressed body, only if every byte is authentic; SegmentError otherwise. */
export function open(master: Uint8Array, file: Uint8Array): { header: SegmentHeader; body: Buffer } {
  const header = readHeader(file);
  const b = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (!header.keyId.equals(keyId(master)))
    throw new SegmentError('wrong-key', 'it was sealed with a different sync key than this machine has');
  const aad = b.subarray(0, headerBytes);
  try {
    const segmentKey = ungcm(master, b.subarray(headerBytes, headerBytes + wrappedBytes), aad);
    return { header, body: ungcm(segmentKey, b.subarray(headerBytes + wrappedBytes), aad) };
  } catch {
    throw new SegmentError('damaged', 'it fails authentication (truncated or altered)');
  }
}
