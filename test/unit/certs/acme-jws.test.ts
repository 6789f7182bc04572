// The ACME server's readers of outside bytes: the flattened JWS, its protected header and JWK, the payload JSON,
// the nonce store's bound, and the validity and name policy. Arbitrary and mutated bodies only ever fail with an
// ACME problem (never another exception), in time linear in their size.
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxBodyBytes, parseJws, payloadObject, publicKeyOf, thumbprint, verifyJws } from '../../../main/certs/acme/jws.ts';
import { NonceStore } from '../../../main/certs/acme/nonces.ts';
import { defaultAcmeConfig, parseValidity, refusal } from '../../../main/certs/acme/policy.ts';
import { AcmeProblem } from '../../../main/certs/acme/problem.ts';
import { parsePermits } from '../../../main/certs/constraints.ts';
import { jwkThumbprint, newAccountKey, signJws } from '../../support/acme-client.ts';
import { bytes, cpuMs, fuzz, mutated } from '../../support/fuzz.ts';

const key = newAccountKey('ES256');
const valid = Buffer.from(
  signJws(
    key,
    { nonce: 'abc', url: 'https://127.0.0.1:1/acme/new-order', jwk: key.publicKey.export({ format: 'jwk' }) },
    { identifiers: [] },
  ),
);

/** Read and verify as the server does; only AcmeProblems may escape. */
function readAll(body: Buffer): void {
  try {
    const jws = parseJws(body);
    const publicKey = publicKeyOf(jws.header.jwk ?? key.publicKey.export({ format: 'jwk' }));
    verifyJws(jws, publicKey);
    payloadObject(jws);
  } catch (error) {
    if (!(error instanceof AcmeProblem)) throw error;
    expect(error.document().type).toMatch(/^urn:ietf:params:acme:error:/);
    expect(error.message.length).toBeGreaterThan(10);
  }
}

describe('ACME JWS reading', () => {
  it('reads and verifies a valid ES256 and RS256 JWS, and the thumbprint is RFC 7638', () => {
    for (const alg of ['ES256', 'RS256'] as const) {
      const k = newAccountKey(alg);
      const jws = parseJws(Buffer.from(signJws(k, { nonce: 'n', url: 'u', jwk: k.publicKey.export({ format: 'jwk' }) }, { a: 1 })));
      const publicKey = publicKeyOf(jws.header.jwk!);
      verifyJws(jws, publicKey);
      expect(payloadObject(jws)).toEqual({ a: 1 });
      expect(thumbprint(publicKey)).toBe(jwkThumbprint(k.publicKey));
    }
  });

  it('refuses private keys, weak RSA, other curves, kid and jwk together, and oversized bodies', () => {
    const ec = newAccountKey();
    expect(() => publicKeyOf(ec.privateKey.export({ format: 'jwk' }))).toThrow(/private key/);
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    expect(() => publicKeyOf(weak)).toThrow(/RSA of 2048 bits/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
    expect(() => publicKeyOf(p384)).toThrow(/P-256/);
    const both = signJws(ec, { nonce: 'n', url: 'u', kid: 'k', jwk: ec.publicKey.export({ format: 'jwk' }) }, {});
    expect(() => parseJws(Buffer.from(both))).toThrow(/exactly one of kid and jwk/);
    expect(() => parseJws(Buffer.alloc(maxBodyBytes + 1, 0x20))).toThrow(/over 65536 bytes/);
  });

  it('fuzz: arbitrary bytes fail only with an ACME problem', () => {
    fuzz(fc.property(bytes(2048), (b) => readAll(b)));
  });

  it('fuzz: mutated valid bodies fail only with an ACME problem (or still verify)', () => {
    fuzz(fc.property(mutated(valid), (b) => readAll(b)));
  });

  it('fuzz: hostile JSON members (wrong types, nesting) in the header fail only with an ACME problem', () => {
    const member = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string()), fc.dictionary(fc.string(), fc.string()));
    fuzz(
      fc.property(fc.record({ alg: member, nonce: member, url: member, kid: member, jwk: member }, { requiredKeys: [] }), (header) => {
        const body = JSON.stringify({ protected: Buffer.from(JSON.stringify(header)).toString('base64url'), payload: '', signature: 'AA' });
        readAll(Buffer.from(body));
      }),
    );
  });

  it('reads a body of the largest size in time linear in it (deeply nested JSON included)', () => {
    const nested = Buffer.from(`{"protected":${'['.repeat(maxBodyBytes / 2 - 20)}`);
    const flat = Buffer.from(JSON.stringify({ protected: 'A'.repeat(maxBodyBytes - 40), payload: '', signature: '' }));
    for (const body of [nested, flat]) expect(cpuMs(() => readAll(body))).toBeLessThan(200);
  });
});

describe('ACME nonce store', () => {
  it('is good once, and past its cap forgets the oldest first, counting them', () => {
    const store = new NonceStore(3);
    const [a, b, c, d] = [store.issue(), store.issue(), store.issue(), store.issue()];
    expect(store.size).toBe(3);
    expect(store.evicted).toBe(1);
    expect(store.consume(a!)).toBe(false);
    expect(store.consume(b!)).toBe(true);
    expect(store.consume(b!)).toBe(false);
    expect([store.consume(c!), store.consume(d!)]).toEqual([true, true]);
  });
});

describe('ACME policy', () => {
  it('reads validity as days, hours or minutes, at least 1 hour', () => {
    expect(parseValidity('7d')).toBe(168);
    expect(parseValidity('36h')).toBe(36);
    expect(parseValidity('90m')).toBe(1.5);
    expect(parseValidity('2')).toBe(48);
    expect(() => parseValidity('30m')).toThrow(/shortest is 1 hour/);
    expect(() => parseValidity('1w')).toThrow(/7d, 36h, 90m/);
  });

  it('allows listed names, suffixes and local IPs; refuses wildcards, other names and names outside the constraints', () => {
    const locals = () => new Set(['127.0.0.1', '::1']);
    const config = defaultAcmeConfig;
    expect(refusal({ type: 'dns', value: 'app.test' }, config, null, locals)).toBeNull();
    expect(refusal({ type: 'dns', value: 'a.b.internal' }, config, null, locals)).toBeNull();
    expect(refusal({ type: 'ip', value: '127.0.0.1' }, config, null, locals)).toBeNull();
    expect(refusal({ type: 'ip', value: '8.8.8.8' }, config, null, locals)).toMatch(/not among the names/);
    expect(refusal({ type: 'dns', value: 'test' }, config, null, locals)).toMatch(/not among the names/);
    expect(refusal({ type: 'dns', value: 'eviltest' }, config, null, locals)).toMatch(/not among the names/);
    expect(refusal({ type: 'dns', value: '*.app.test' }, config, null, locals)).toMatch(/wildcard/);
    expect(refusal({ type: 'dns', value: 'APP.test' }, config, null, locals)).toMatch(/normal form/);
    expect(refusal({ type: 'dns', value: '127.0.0.1' }, config, null, locals)).toMatch(
      /is an IP address sent as a "dns" identifier; RFC 8738 asks for type "ip"/,
    );
    const permits = parsePermits(['internal']);
    expect(refusal({ type: 'dns', value: 'app.test' }, config, permits, locals)).toMatch(/outside the CA's name constraints.*internal/);
  });

  it('fuzz: any identifier text gets a decision, never an exception', () => {
    fuzz(
      fc.property(fc.constantFrom('dns' as const, 'ip' as const), fc.string({ maxLength: 300 }), (type, value) => {
        const r = refusal({ type, value }, defaultAcmeConfig, null, () => new Set());
        expect(r === null || typeof r === 'string').toBe(true);
      }),
    );
  });
});
