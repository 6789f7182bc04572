// Deliver 7 (certs): every reader of outside certificate bytes, fuzzed with the shared seed and budget. Arbitrary and
// mutated PEM/DER never throw anything but the reader's own clear error, and each input takes bounded time; hostile
// nesting is refused by the iterative shape check instead of running node-forge's recursive parser out of stack.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../main/contract/errors.ts';
import { buildCaCertificate } from '../../../main/certs/certificate.ts';
import { readCsr } from '../../../main/certs/csr.ts';
import * as der from '../../../main/certs/der.ts';
import { newKeyPair } from '../../../main/certs/keys.ts';
import { maxPemBytes, pemBlocks } from '../../../main/certs/pem.ts';
import { readCertificate } from '../../../main/certs/read-certificate.ts';
import { bytes, fuzz, mutated } from '../../support/fuzz.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { newP256Request } from '../../support/openssl-req.ts';

/** Per input, generous for two shared cores; the real cost is well under a millisecond. */
const perInputMs = 250;

function timed<T>(read: () => T): T {
  const started = performance.now();
  try {
    return read();
  } finally {
    expect(performance.now() - started).toBeLessThan(perInputMs);
  }
}

/** Runs the reader; any throw must be its own clear error. */
function only(read: () => unknown, isClear: (error: unknown) => boolean): void {
  try {
    timed(read);
  } catch (error) {
    if (!isClear(error)) throw new Error(`unexpected ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
  }
}

const derError = (e: unknown) => e instanceof Error && !(e instanceof RangeError) && /^malformed DER: /.test(e.message);
const pemError = (e: unknown) => e instanceof Error && /^malformed PEM: /.test(e.message);
const csrError = (e: unknown) => e instanceof ServiceError && e.code === 'invalid-argument';
const certificateError = (e: unknown) => e instanceof ServiceError && e.code === 'invalid-argument';

const armour = (body: Buffer, label: string) => der.toPem(body, label);

/** `depth` SEQUENCEs inside each other, every length definite (4-byte form), built inside out. */
function nested(depth: number): Buffer {
  const out = Buffer.alloc(depth * 6);
  for (let i = 0; i < depth; i++) {
    const at = i * 6;
    out[at] = 0x30;
    out[at + 1] = 0x84;
    out.writeUInt32BE(out.length - at - 6, at + 2);
  }
  return out;
}

describe('DER reading (der.ts over node-forge ASN.1)', async () => {
  const { pem } = buildCaCertificate({
    keyPair: await newKeyPair('ecdsa', 'ca'),
    commonName: 'fuzz',
    organization: 'fuzz',
    unit: 'fuzz',
    years: 1,
    permits: { dns: ['test'], ip: [], email: ['test', '.test'], uri: ['test', '.test'] },
  });
  const certificateDer = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

  it('arbitrary bytes: a tree or "malformed DER", never a stack overflow', () => {
    fuzz(fc.property(bytes(), (input) => only(() => der.decode(input), derError)));
  });

  it('mutated certificates: a tree or "malformed DER"', () => {
    fuzz(fc.property(mutated(certificateDer), (input) => only(() => der.decode(input), derError)));
  });

  it('a megabyte of nesting is refused at level 33 in linear time (definite and indefinite lengths)', () => {
    expect(() => timed(() => der.decode(nested(170_000)))).toThrow(/^malformed DER: nested deeper than 32 levels$/);
    expect(() => timed(() => der.decode(Buffer.alloc(1 << 20, Buffer.from([0x30, 0x80]))))).toThrow(/^malformed DER: an indefinite length/);
    expect(der.children(der.decode(nested(32)))).toHaveLength(1);
  });
});

describe('PEM reading (pem.ts)', () => {
  it('arbitrary text: blocks or "malformed PEM"', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 2048 }),
      fc
        .array(fc.constantFrom('-----BEGIN ', '-----END ', 'CERTIFICATE', '-----', 'QUJD', '\n', '=', '*'), { maxLength: 200 })
        .map((p) => p.join('')),
    );
    fuzz(fc.property(text, (input) => only(() => pemBlocks(input), pemError)));
  });

  it('adversarial texts up to the bound take linear time; over it, a clear refusal', () => {
    const fill = (unit: string) => unit.repeat(Math.floor(maxPemBytes / unit.length));
    for (const text of [
      fill('-----BEGIN '),
      fill('-----BEGIN X-----'),
      fill('-----BEGIN X-----A-----END Y-----'),
      `-----BEGIN X-----${fill('A')}`,
    ]) {
      expect(() => timed(() => pemBlocks(text.slice(0, maxPemBytes)))).toThrow(/^malformed PEM: /);
    }
    expect(() => pemBlocks('A'.repeat(maxPemBytes + 1))).toThrow(/^malformed PEM: over 64 KiB$/);
  });
});

describe('certificate reading (read-certificate.ts)', async () => {
  const { pem } = buildCaCertificate({
    keyPair: await newKeyPair('rsa', 'ca'),
    commonName: 'fuzz',
    organization: 'fuzz',
    unit: 'fuzz',
    years: 1,
    permits: null,
  });
  const valid = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');

  it('reads the valid one', () => {
    expect(readCertificate(pem).organization).toBe('fuzz');
  });

  it('mutated certificates and arbitrary bytes: a certificate or a clear ServiceError', () => {
    fuzz(
      fc.property(fc.oneof(mutated(valid), bytes()), (input) =>
        only(() => readCertificate(armour(input, 'CERTIFICATE')), certificateError),
      ),
    );
  });
});

const openssl = findPeer('openssl', 'apt-get install openssl');

describe.skipIf(!openssl)('CSR reading (csr.ts)', () => {
  const dir = tempDir();
  const file = path.join(dir, 'fuzz.csr');
  const made = spawnSync('openssl', [
    ...newP256Request(path.join(dir, 'key.pem')),
    '-subj',
    '/CN=fuzz.test',
    '-addext',
    'subjectAltName=DNS:fuzz.test,IP:10.0.0.1,email:a@fuzz.test',
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-out',
    file,
  ]);

  it('reads the valid one', () => {
    expect(made.status).toBe(0);
    expect(readCsr(readFileSync(file, 'utf8')).names).toHaveLength(3);
  });

  it('mutated requests, arbitrary bytes and arbitrary text: a request or a clear ServiceError (invalid-argument)', () => {
    const valid = Buffer.from(readFileSync(file, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const input = fc.oneof(
      mutated(valid).map((b) => armour(b, 'CERTIFICATE REQUEST')),
      bytes().map((b) => armour(b, 'CERTIFICATE REQUEST')),
      fc.string({ maxLength: 512 }),
    );
    fuzz(fc.property(input, (pem) => only(() => readCsr(pem), csrError)));
  });
});
