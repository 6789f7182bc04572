// Validation through real name resolution, without --resolve-local: `lanyard acme serve` runs in a private mount
// namespace (`unshare -m`, root only) whose /etc/hosts is a file the test wrote, bind-mounted — the machine's own
// /etc/hosts is never touched — so Node's resolver (getaddrinfo) answers from it. lego 4.9 is the client (http-01).
// Names that resolve to this machine are validated at that address; one that resolves elsewhere or nowhere fails
// with an ACME `dns` problem that says what to change.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryEntry } from '../../../main/certs/contract.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { newAccountKey, TestAcmeClient } from '../../support/acme-client.ts';
import { findPeer } from '../../support/peers.ts';
import { freePort } from '../../support/free-port.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { acmeServe, legoAccount, type Served, stopServe } from './acme-serve.ts';

const lego = findPeer('lego', 'apt-get install lego');
const unshare = findPeer('unshare', 'apt-get install util-linux');
const openssl = findPeer('openssl', 'apt-get install openssl');
const root = process.getuid?.() === 0;
if (!root) process.stderr.write('\n*** SKIPPING acme-resolution: a private /etc/hosts needs `unshare -m` as root ***\n\n');

describe.skipIf(!lego || !unshare || !openssl || !root)('ACME validation through the resolver (private /etc/hosts, lego)', () => {
  const home = tempDir('lanyard-acme-resolve-');
  const env = { ...process.env, LANYARD_HOME: path.join(home, 'lanyard'), HOME: home };
  const hosts = path.join(home, 'hosts');
  let served: Served;
  let httpPort: number;

  beforeAll(async () => {
    writeFileSync(hosts, '127.0.0.1 localhost\n::1 localhost ip6-localhost\n127.0.0.1 app.test\n203.0.113.7 far.test\n');
    httpPort = await freePort();
    const launcher = [unshare!, '-m', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hosts];
    served = await acmeServe(env, ['--http-port', String(httpPort), '--validity', '1h'], launcher);
  });
  afterAll(async () => {
    if (served) await stopServe(served);
  });

  const obtain = (domain: string, listen: string) =>
    spawnSync(lego!, [...legoAccount(served, home), '--domains', domain, '--http', '--http.port', listen, 'run'], {
      env: { ...env, LEGO_CA_CERTIFICATES: served.caFile },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const inventory = () =>
    JSON.parse(spawnSync(nodeBin, [cliBundle, 'cert', 'list', '--json'], { env, encoding: 'utf8' }).stdout) as InventoryEntry[];
  const certFile = (domain: string) => path.join(home, 'lego', 'certificates', `${domain}.crt`);

  it('the server says it validates at the resolved address (no switch)', () => {
    expect(served.stderr()).toMatch(/validation on ports \d+ \(http-01\)/);
    expect(served.stderr()).toContain("each name at this machine's addresses it resolves to");
  });

  it.each([
    ['app.test', 'a name only the private /etc/hosts knows'],
    ['localhost', 'localhost'],
  ])('validates %s (%s) at its address and issues', (domain) => {
    const r = obtain(domain, `127.0.0.1:${httpPort}`);
    expect(r.status, r.stderr).toBe(0);
    expect(spawnSync(openssl!, ['verify', '-CAfile', served.caFile, certFile(domain)], { encoding: 'utf8' }).stdout).toContain(': OK');
    const entry = inventory().find((e) => e.names[0]!.value === domain)!;
    expect(entry.acme!.client).toMatch(/lego/i);
  });

  it("refuses lego 4.9's request for an IP (it sends it as a dns identifier), saying so", () => {
    const r = obtain('127.0.0.1', `127.0.0.1:${httpPort}`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('"127.0.0.1" is an IP address sent as a "dns" identifier; RFC 8738 asks for type "ip"');
  });

  it('validates IP identifiers 127.0.0.1 and ::1 at those very addresses (the protocol test client: lego 4.9 cannot)', async () => {
    const answers = new Map<string, string>();
    const seenAt = new Map<string, string>();
    const responder = createServer((request, response) => {
      const token = (request.url ?? '').split('/').pop()!;
      seenAt.set(token, request.socket.localAddress ?? '');
      response.end(answers.get(token) ?? '');
    });
    await new Promise<void>((resolve) => responder.listen({ port: httpPort, host: '::', ipv6Only: false }, resolve));
    try {
      const c = new TestAcmeClient(served.directory, readFileSync(served.caFile, 'utf8'));
      c.key = newAccountKey();
      await c.start();
      await c.register();
      for (const [value, local] of [
        ['127.0.0.1', '::ffff:127.0.0.1'],
        ['::1', '::1'],
      ] as const) {
        const order = await c.post(c.directory.newOrder!, { identifiers: [{ type: 'ip', value }] });
        expect(order.status, order.body).toBe(201);
        const authz = await c.post((order.json.authorizations as string[])[0]!, '');
        const challenge = (authz.json.challenges as { type: string; url: string; token: string }[]).find((x) => x.type === 'http-01')!;
        answers.set(challenge.token, c.keyAuthorization(challenge.token));
        const result = await c.post(challenge.url, {});
        expect(result.json, result.body).toMatchObject({ status: 'valid' });
        expect(seenAt.get(challenge.token)).toBe(local);
      }
    } finally {
      responder.close();
    }
  });

  it('fails a name that resolves to another machine, saying where it points and what to change', () => {
    const r = obtain('far.test', `127.0.0.1:${httpPort}`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('urn:ietf:params:acme:error:dns');
    expect(r.stderr).toContain('far.test resolves to 203.0.113.7, not to this machine');
    expect(r.stderr).toContain('--resolve-local');
  });

  it('fails a name that does not resolve, naming the switch', () => {
    const r = obtain('nowhere.test', `127.0.0.1:${httpPort}`);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('urn:ietf:params:acme:error:dns');
    expect(r.stderr).toMatch(/nowhere\.test does not resolve here \(\w+\); turn on "resolve to 127\.0\.0\.1"/);
    expect(inventory().some((e) => e.names[0]!.value === 'nowhere.test' || e.names[0]!.value === 'far.test')).toBe(false);
  });
});
