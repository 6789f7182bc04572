// The ACME server's rules, exercised by a small client that can break each one on purpose: nonces, urls, keys,
// policy, challenge answers, finalize, revocation, key rollover, rate limits, and an order carried across a restart.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAcmeConfig, type AcmeConfig } from '../../../main/certs/acme/policy.ts';
import { CertsService } from '../../../main/certs/service.ts';
import { newAccountKey, signJws, TestAcmeClient } from '../../support/acme-client.ts';
import { findPeer } from '../../support/peers.ts';
import { freePort } from '../../support/free-port.ts';
import { tempDir } from '../../support/temp-dir.ts';

const opensslPath = findPeer('openssl', 'apt-get install openssl');

/** A CSR for names, made by openssl (the judge of what a CSR is), DER as base64url. */
function csrFor(dir: string, names: string[]): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = path.join(dir, `csr-${names[0]}.key`);
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const der = execFileSync(opensslPath!, [
    'req',
    '-new',
    '-key',
    keyFile,
    '-subj',
    `/CN=${names[0]}`,
    '-addext',
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
    '-outform',
    'DER',
  ]);
  return der.toString('base64url');
}

/** What the tests' http-01 responder answers for each token (a wrong answer on purpose for some). */
const answers = new Map<string, string>();

describe.skipIf(!opensslPath)('ACME protocol (RFC 8555) against the Lanyard server', () => {
  const home = tempDir('lanyard-acme-');
  let certs: CertsService;
  let responder: Server;
  let config: AcmeConfig;
  let directoryUrl: string;
  let caPem: string;

  beforeAll(async () => {
    responder = createServer((req, res) => {
      const token = (req.url ?? '').split('/').pop()!;
      const answer = answers.get(token);
      res.writeHead(answer === undefined ? 404 : 200).end(answer ?? 'no such token');
    });
    await new Promise<void>((resolve) => responder.listen(0, '127.0.0.1', resolve));
    config = {
      ...defaultAcmeConfig,
      port: await freePort(),
      resolveLocal: true,
      httpPort: (responder.address() as AddressInfo).port,
      ordersPerHour: 20,
    };
    certs = new CertsService({ dataDir: home, env: { LANYARD_HOME: home } });
    const ca = await certs.signingCa();
    caPem = ca.certPem;
    directoryUrl = (await certs.acme.start(ca, config)).directoryUrl!;
  });
  afterAll(async () => {
    await certs?.close();
    responder?.close();
  });

  async function client(alg: 'ES256' | 'RS256' = 'ES256'): Promise<TestAcmeClient> {
    const c = new TestAcmeClient(directoryUrl, caPem);
    c.key = newAccountKey(alg);
    await c.start();
    return c;
  }

  async function authorizedOrder(c: TestAcmeClient, name: string, answer: (keyAuth: string) => string = (k) => k) {
    const order = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'dns', value: name }] });
    expect(order.status, order.body).toBe(201);
    const authzUrl = (order.json.authorizations as string[])[0]!;
    const authz = await c.post(authzUrl, '');
    const challenge = (authz.json.challenges as { type: string; url: string; token: string }[]).find((x) => x.type === 'http-01')!;
    answers.set(challenge.token, answer(c.keyAuthorization(challenge.token)));
    const result = await c.post(challenge.url, {});
    return { order, orderUrl: String(order.headers.location), challenge: result };
  }

  it('serves the directory and nonces, over HTTPS from the Lanyard CA', async () => {
    const c = await client();
    expect(Object.keys(c.directory)).toEqual(expect.arrayContaining(['newNonce', 'newAccount', 'newOrder', 'revokeCert', 'keyChange']));
    const head = await c.raw('HEAD', c.directory.newNonce!);
    expect(head.status).toBe(200);
    expect(head.headers['replay-nonce']).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(head.headers['cache-control']).toBe('no-store');
  });

  it('creates accounts with ES256 and RS256 keys, finds them again, and refuses onlyReturnExisting for a new key', async () => {
    for (const alg of ['ES256', 'RS256'] as const) {
      const c = await client(alg);
      const created = await c.register();
      expect(created.status, created.body).toBe(201);
      expect(created.json).toMatchObject({ status: 'valid', contact: ['mailto:dev@app.test'] });
      const kid = c.kid;
      c.kid = '';
      const again = await c.post(c.directory.newAccount!, { onlyReturnExisting: true });
      expect(again.status).toBe(200);
      expect(again.headers.location).toBe(kid);
    }
    const stranger = await client();
    const missing = await stranger.post(stranger.directory.newAccount!, { onlyReturnExisting: true });
    expect(missing.json.type).toBe('urn:ietf:params:acme:error:accountDoesNotExist');
  });

  it('refuses a replayed nonce with badNonce, a wrong url, a wrong content type and a forged signature', async () => {
    const c = await client();
    await c.register();
    const used = c.nonce;
    const first = await c.post(c.kid, '');
    expect(first.status).toBe(200);
    const replay = await c.post(c.kid, '', { nonce: used });
    expect(replay.status).toBe(400);
    expect(replay.json).toMatchObject({ type: 'urn:ietf:params:acme:error:badNonce' });
    expect(String(replay.json.detail)).toMatch(/used already/);
    const wrongUrl = await c.post(c.kid, '', { url: c.directory.newOrder });
    expect(wrongUrl.json.type).toBe('urn:ietf:params:acme:error:unauthorized');
    const wrongType = await c.raw('POST', c.kid, signJws(c.key, { nonce: c.nonce, url: c.kid, kid: c.kid }, ''), 'application/json');
    expect(wrongType.status).toBe(415);
    const other = newAccountKey();
    const forged = await c.raw('POST', c.kid, signJws(other, { nonce: c.nonce, url: c.kid, kid: c.kid }, ''));
    expect(forged.json.type).toBe('urn:ietf:params:acme:error:malformed');
    expect(String(forged.json.detail)).toMatch(/signature does not verify/);
    const badAlg = await c.raw('POST', c.kid, signJws({ ...c.key, alg: 'HS256' as never }, { nonce: c.nonce, url: c.kid, kid: c.kid }, ''));
    expect(badAlg.json.type).toBe('urn:ietf:params:acme:error:badSignatureAlgorithm');
  });

  it('refuses names outside the allowed list and wildcards with rejectedIdentifier, saying why', async () => {
    const c = await client();
    await c.register();
    const outside = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'dns', value: 'example.com' }] });
    expect(outside.json.type).toBe('urn:ietf:params:acme:error:rejectedIdentifier');
    expect(String(outside.json.detail)).toMatch(/not among the names this server validates/);
    const wildcard = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'dns', value: '*.app.test' }] });
    expect(String(wildcard.json.detail)).toMatch(/wildcards need dns-01/);
    const email = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'email', value: 'a@b.test' }] });
    expect(email.json.type).toBe('urn:ietf:params:acme:error:unsupportedIdentifier');
  });

  it('refuses a wrong key authorization, and records what it fetched from where', async () => {
    const c = await client();
    await c.register();
    const { challenge, orderUrl } = await authorizedOrder(c, 'wrong.test', (k) => `${k}x`);
    expect(challenge.json.status).toBe('invalid');
    expect(challenge.json.error).toMatchObject({ type: 'urn:ietf:params:acme:error:incorrectResponse' });
    expect(String((challenge.json.error as { detail: string }).detail)).toMatch(
      /GET http:\/\/wrong\.test:\d+\/\.well-known\/acme-challenge\/\S+ at 127\.0\.0\.1/,
    );
    expect((await c.post(orderUrl, '')).json.status).toBe('invalid');
    const recent = certs.acme.recentOrders().find((o) => o.identifiers[0]!.value === 'wrong.test')!;
    expect(recent.status).toBe('invalid');
    expect(recent.challenges[0]!.attempt).toMatch(/key authorization is wrong/);
  });

  it('validates http-01, finalizes a CSR whose names match, and serves the chain; a mismatched CSR is badCSR', async () => {
    const c = await client();
    await c.register();
    const { challenge, orderUrl } = await authorizedOrder(c, 'good.test');
    expect(challenge.json.status, challenge.body).toBe('valid');
    const ready = await c.post(orderUrl, '');
    expect(ready.json.status).toBe('ready');
    const finalizeUrl = String(ready.json.finalize);
    const mismatch = await c.post(finalizeUrl, { csr: csrFor(home, ['other.test']) });
    expect(mismatch.json.type).toBe('urn:ietf:params:acme:error:badCSR');
    const done = await c.post(finalizeUrl, { csr: csrFor(home, ['good.test']) });
    expect(done.json.status, done.body).toBe('valid');
    const chain = await c.post(String(done.json.certificate), '');
    expect(chain.headers['content-type']).toBe('application/pem-certificate-chain');
    const [leafPem, caBlock] = chain.body.split(/(?<=-----END CERTIFICATE-----\n)/);
    const leaf = new X509Certificate(leafPem!);
    expect(leaf.subjectAltName).toBe('DNS:good.test');
    expect(leaf.verify(new X509Certificate(caBlock!).publicKey)).toBe(true);
    const hours = (Date.parse(leaf.validTo) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(167);
    expect(hours).toBeLessThanOrEqual(168);
    const entry = certs.list().find((e) => e.names[0]!.value === 'good.test')!;
    expect(entry.acme).toEqual({ account: c.kid.split('/').pop(), client: 'lanyard-test-client' });
    expect(entry.serial).toBe(leaf.serialNumber.toLowerCase());
  });

  it('revokes by the certificate key, says alreadyRevoked the second time, and the inventory shows it', async () => {
    const c = await client();
    await c.register();
    const { orderUrl } = await authorizedOrder(c, 'revoke.test');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyFile = path.join(home, 'revoke.key');
    writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const csr = execFileSync(opensslPath!, [
      'req',
      '-new',
      '-key',
      keyFile,
      '-subj',
      '/CN=revoke.test',
      '-addext',
      'subjectAltName=DNS:revoke.test',
      '-outform',
      'DER',
    ]);
    const ready = await c.post(orderUrl, '');
    const done = await c.post(String(ready.json.finalize), { csr: csr.toString('base64url') });
    const pem = (await c.post(String(done.json.certificate), '')).body;
    const der = new X509Certificate(pem).raw.toString('base64url');
    const certKey = { alg: 'ES256' as const, privateKey, publicKey };
    const byKey = await c.raw(
      'POST',
      c.directory.revokeCert!,
      signJws(certKey, { nonce: c.nonce, url: c.directory.revokeCert, jwk: publicKey.export({ format: 'jwk' }) }, { certificate: der }),
    );
    expect(byKey.status, byKey.body).toBe(200);
    const again = await c.post(c.directory.revokeCert!, { certificate: der });
    expect(again.json.type).toBe('urn:ietf:params:acme:error:alreadyRevoked');
    expect(certs.list().find((e) => e.names[0]!.value === 'revoke.test')!.revokedAt).not.toBeNull();
  });

  it('revokes from the app by inventory id', async () => {
    const c = await client();
    await c.register();
    const { orderUrl } = await authorizedOrder(c, 'app-revoke.test');
    const ready = await c.post(orderUrl, '');
    await c.post(String(ready.json.finalize), { csr: csrFor(home, ['app-revoke.test']) });
    const entry = certs.list().find((e) => e.names[0]!.value === 'app-revoke.test')!;
    await certs.acmeRevoke(entry.id);
    expect(certs.list().find((e) => e.id === entry.id)!.revokedAt).not.toBeNull();
    await expect(certs.acmeRevoke(entry.id)).rejects.toThrow(/revoked on/);
  });

  it('rolls the account key over (keyChange): the new key signs, the old one no longer does', async () => {
    const c = await client();
    await c.register();
    const oldKey = c.key;
    const next = newAccountKey('RS256');
    const url = c.directory.keyChange!;
    const inner = JSON.parse(
      signJws(
        next,
        { url, jwk: next.publicKey.export({ format: 'jwk' }) },
        { account: c.kid, oldKey: oldKey.publicKey.export({ format: 'jwk' }) },
      ),
    );
    const changed = await c.post(url, inner);
    expect(changed.status, changed.body).toBe(200);
    const stale = await c.post(c.kid, '');
    expect(stale.status).toBe(400);
    // The old ES256 key against the account's new RSA key.
    expect(String(stale.json.detail)).toMatch(/the key is rsa/);
    c.key = next;
    expect((await c.post(c.kid, '')).status).toBe(200);
  });

  it('deactivates an account, after which it may do nothing', async () => {
    const c = await client();
    await c.register();
    const off = await c.post(c.kid, { status: 'deactivated' });
    expect(off.json.status).toBe('deactivated');
    const order = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'dns', value: 'x.test' }] });
    expect(order.json.type).toBe('urn:ietf:params:acme:error:unauthorized');
  });

  it('limits orders per account per hour with rateLimited and Retry-After', async () => {
    const c = await client();
    await c.register();
    let last = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'dns', value: 'rate.test' }] });
    for (let i = 1; i <= config.ordersPerHour && last.status === 201; i++)
      last = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'dns', value: 'rate.test' }] });
    expect(last.status).toBe(429);
    expect(last.json.type).toBe('urn:ietf:params:acme:error:rateLimited');
    expect(last.headers['retry-after']).toBe('600');
  });

  it('expires an order left unfinished: invalid on the next read, then purged', async () => {
    const c = await client();
    await c.register();
    const order = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'dns', value: 'stale.test' }] });
    const id = String(order.headers.location).split('/').pop()!;
    certs.inventory.db.prepare("UPDATE acme_orders SET expires = '2000-01-01T00:00:00.000Z' WHERE id = ?").run(id);
    const read = await c.post(String(order.headers.location), '');
    expect(read.json.status).toBe('invalid');
    expect(read.json.error).toMatchObject({ detail: 'The order expired before it was finalized.' });
    const { AcmeStore } = await import('../../../main/certs/acme/store.ts');
    const store = new AcmeStore(certs.inventory.db);
    expect(store.purgeExpired(new Date())).toBeGreaterThanOrEqual(1);
    expect(store.order(id)).toBeNull();
  });

  it('carries an order across a restart: validated before, finalized after', async () => {
    const c = await client();
    await c.register();
    const { orderUrl, challenge } = await authorizedOrder(c, 'restart.test');
    expect(challenge.json.status).toBe('valid');
    await certs.close();
    certs = new CertsService({ dataDir: home, env: { LANYARD_HOME: home } });
    await certs.acme.start(await certs.signingCa(), config);
    // The nonce from before the restart is gone: badNonce, and the reply carries a fresh one.
    const stale = await c.post(orderUrl, '');
    expect(stale.json.type).toBe('urn:ietf:params:acme:error:badNonce');
    const ready = await c.post(orderUrl, '');
    expect(ready.json.status).toBe('ready');
    const done = await c.post(String(ready.json.finalize), { csr: csrFor(home, ['restart.test']) });
    expect(done.json.status, done.body).toBe('valid');
  });
});
