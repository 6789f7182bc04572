// `lanyard acme serve` judged by real ACME clients from Debian, on loopback and random ports: lego (run, renew,
// http-01, tls-alpn-01, revoke) and certbot (--standalone, --webroot, renew, revoke). Validation goes to 127.0.0.1
// through --resolve-local, and to the clients' ports through --http-port / --tls-port.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcmeClientSnippet, InventoryEntry } from '../../../main/certs/contract.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { findPeer } from '../../support/peers.ts';
import { freePort } from '../../support/free-port.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { acmeServe, legoAccount, type Served, stopServe } from './acme-serve.ts';

const lego = findPeer('lego', 'apt-get install lego');
const certbot = findPeer('certbot', 'apt-get install certbot');
const openssl = findPeer('openssl', 'apt-get install openssl');

function inventory(env: NodeJS.ProcessEnv): InventoryEntry[] {
  return JSON.parse(execFileSync(nodeBin, [cliBundle, 'cert', 'list', '--json'], { env, encoding: 'utf8' })) as InventoryEntry[];
}

function verifies(caFile: string, certFile: string): string {
  return execFileSync(openssl!, ['verify', '-CAfile', caFile, certFile], { encoding: 'utf8' });
}

describe.skipIf(!lego || !certbot || !openssl)('ACME with real clients (lego 4.9, certbot 2.1)', () => {
  const home = tempDir('lanyard-acme-clients-');
  const env = { ...process.env, LANYARD_HOME: path.join(home, 'lanyard'), HOME: home };
  let served: Served;
  let httpPort: number;
  let tlsPort: number;

  beforeAll(async () => {
    httpPort = await freePort();
    tlsPort = await freePort();
    served = await acmeServe(env, ['--resolve-local', '--http-port', String(httpPort), '--tls-port', String(tlsPort), '--validity', '36h']);
  });
  afterAll(async () => {
    if (served) await stopServe(served);
  });

  const legoRun = (args: string[]) =>
    spawnSync(lego!, [...legoAccount(served, home), ...args], {
      env: { ...env, LEGO_CA_CERTIFICATES: served.caFile },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('lego run: new account, http-01, a certificate from the Lanyard CA for 36 hours', () => {
    const r = legoRun(['--domains', 'app.test', '--http', '--http.port', `127.0.0.1:${httpPort}`, 'run']);
    expect(r.status, r.stderr).toBe(0);
    const certFile = path.join(home, 'lego', 'certificates', 'app.test.crt');
    expect(verifies(served.caFile, certFile)).toContain(': OK');
    const entry = inventory(env).find((e) => e.names[0]!.value === 'app.test')!;
    expect(entry.acme!.client).toMatch(/lego/i);
    expect((Date.parse(entry.notAfter) - Date.parse(entry.notBefore)) / 3_600_000).toBe(37); // 36 h + the hour of clock slack before
  });

  it('lego renew over tls-alpn-01: a new certificate, the same inventory entry marked renewed', () => {
    const before = inventory(env).find((e) => e.names[0]!.value === 'app.test')!;
    const r = legoRun([
      '--domains',
      'app.test',
      '--tls',
      '--tls.port',
      `127.0.0.1:${tlsPort}`,
      'renew',
      '--days',
      '30',
      '--no-random-sleep',
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/tls-alpn-01/i);
    const after = inventory(env).find((e) => e.id === before.id)!;
    expect(after.serial).not.toBe(before.serial);
    expect(after.renewedAt).not.toBeNull();
    expect(verifies(served.caFile, path.join(home, 'lego', 'certificates', 'app.test.crt'))).toContain(': OK');
  });

  it('lego revoke: the inventory shows the certificate revoked', () => {
    const r = legoRun(['--domains', 'app.test', 'revoke']);
    expect(r.status, r.stderr).toBe(0);
    expect(inventory(env).find((e) => e.names[0]!.value === 'app.test')!.revokedAt).not.toBeNull();
  });

  it('refuses a name outside the allowed names, and lego prints why', () => {
    const r = legoRun(['--domains', 'example.com', '--http', '--http.port', `127.0.0.1:${httpPort}`, 'run']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('urn:ietf:params:acme:error:rejectedIdentifier');
    expect(r.stderr).toContain('"example.com" is not among the names this server validates');
  });

  const certbotRun = (args: string[]) =>
    spawnSync(
      certbot!,
      [
        ...args,
        '--config-dir',
        path.join(home, 'cb', 'config'),
        '--work-dir',
        path.join(home, 'cb', 'work'),
        '--logs-dir',
        path.join(home, 'cb', 'logs'),
        '--non-interactive',
      ],
      { env: { ...env, REQUESTS_CA_BUNDLE: served.caFile }, encoding: 'utf8', timeout: 90_000 },
    );

  const certbotAsync = (args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        certbot!,
        [
          ...args,
          '--config-dir',
          path.join(home, 'cb', 'config'),
          '--work-dir',
          path.join(home, 'cb', 'work'),
          '--logs-dir',
          path.join(home, 'cb', 'logs'),
          '--non-interactive',
        ],
        { env: { ...env, REQUESTS_CA_BUNDLE: served.caFile } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('exit', (status) => resolve({ status, stdout, stderr }));
    });

  it('certbot --standalone (http-01 on its own port), then renew', () => {
    const common = ['--server', served.directory, '--agree-tos', '-m', 'dev@app.test'];
    const r = certbotRun([
      'certonly',
      '--standalone',
      '--http-01-port',
      String(httpPort),
      '--http-01-address',
      '127.0.0.1',
      '-d',
      'cb.test',
      ...common,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const live = path.join(home, 'cb', 'config', 'live', 'cb.test');
    expect(verifies(served.caFile, path.join(live, 'cert.pem'))).toContain(': OK');
    const first = readFileSync(path.join(live, 'cert.pem'), 'utf8');
    const renewed = certbotRun(['renew', '--force-renewal', '--no-random-sleep-on-renew']);
    expect(renewed.status, renewed.stderr).toBe(0);
    expect(readFileSync(path.join(live, 'cert.pem'), 'utf8')).not.toBe(first);
    expect(inventory(env).find((e) => e.names[0]!.value === 'cb.test')!.acme!.client).toMatch(/certbot/i);
  });

  describe('certbot --webroot', () => {
    let web: Server;
    const root = path.join(home, 'webroot');
    beforeAll(async () => {
      mkdirSync(root, { recursive: true });
      // A static file server on the validation port, as a developer's web server would be.
      web = createServer((req, res) => {
        try {
          res.end(readFileSync(path.join(root, path.normalize(req.url ?? '/').replace(/^(\.\.[/\\])+/, ''))));
        } catch {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve) => web.listen(httpPort, '127.0.0.1', resolve));
    });
    afterAll(() => web?.close());

    it('gets a certificate through files in the webroot, then revokes it', async () => {
      // Asynchronously: the webroot's server runs in this process and must answer while certbot waits.
      const r = await certbotAsync([
        'certonly',
        '--webroot',
        '-w',
        root,
        '-d',
        'web.test',
        '--server',
        served.directory,
        '--agree-tos',
        '-m',
        'dev@app.test',
      ]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      const revoked = certbotRun(['revoke', '--cert-name', 'web.test', '--server', served.directory, '--no-delete-after-revoke']);
      expect(revoked.status, revoked.stderr).toBe(0);
      expect(inventory(env).find((e) => e.names[0]!.value === 'web.test')!.revokedAt).not.toBeNull();
    });
  });

  it('acme clients, from another process, prints the running server: its URL and ports, and lego runs the line as printed', () => {
    const printed = JSON.parse(
      execFileSync(nodeBin, [cliBundle, 'acme', 'clients', '--name', 'shop.test', '--json'], { env, encoding: 'utf8' }),
    ) as AcmeClientSnippet[];
    const of = (client: string) => printed.find((s) => s.client === client)!;
    expect(of('caddy').text).toContain(`acme_ca ${served.directory}\n`);
    expect(of('caddy').text).toContain(`\thttp_port ${httpPort}\n\thttps_port ${tlsPort}\n`);
    expect(of('certbot').commands[0]!.argv).toEqual(
      expect.arrayContaining(['--http-01-port', String(httpPort), '--server', served.directory]),
    );
    expect(of('acme.sh').commands[0]!.argv).toEqual(expect.arrayContaining(['--httpport', String(httpPort)]));
    const [obtain, renew] = of('lego').commands;
    // 36 hours: lego counts whole days, so --days 1 (its default of 30, or the 3 of a 7-day certificate, renew on every run).
    expect(renew!.argv.slice(-2)).toEqual(['--days', '1']);
    const cwd = tempDir('lanyard-acme-printed-');
    const r = spawnSync(obtain!.argv[0]!, obtain!.argv.slice(1), {
      cwd,
      env: { ...env, ...Object.fromEntries(obtain!.env) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(verifies(served.caFile, path.join(cwd, '.lego', 'certificates', 'shop.test.crt'))).toContain(': OK');
    // A wildcard would be refused by the server: the setup is not printed for one.
    const wildcard = spawnSync(nodeBin, [cliBundle, 'acme', 'clients', '--name', '*.shop.test'], { env, encoding: 'utf8' });
    expect(wildcard.status).toBe(2);
    expect(wildcard.stderr).toContain('issues no wildcards');
  });

  it('stops cleanly on Ctrl+C', async () => {
    const code = await stopServe(served);
    expect(code).toBe(0);
    expect(served.stderr()).toContain('ACME server stopped.');
    served = undefined as unknown as Served;
    // Stopped: the clients' setup goes back to the URL the settings will serve.
    const after = execFileSync(nodeBin, [cliBundle, 'acme', 'clients', '--client', 'caddy'], { env, encoding: 'utf8' });
    expect(after).toContain('acme_ca https://127.0.0.1:14000/directory');
    expect(after).not.toContain('http_port');
  });
});

describe.skipIf(!lego || !openssl)('ACME on a name-constrained CA', () => {
  const home = tempDir('lanyard-acme-constrained-');
  const env = { ...process.env, LANYARD_HOME: path.join(home, 'lanyard'), HOME: home };

  it('refuses a name the server would validate but the CA may not sign, saying so', async () => {
    execFileSync(nodeBin, [cliBundle, 'cert', '--create-ca', '--constrain', '--permit', 'test', '--permit', '127.0.0.0/8'], { env });
    const httpPort = await freePort();
    const served = await acmeServe(env, ['--resolve-local', '--http-port', String(httpPort), '--names', '*.test,*.example']);
    try {
      const r = spawnSync(
        lego!,
        [...legoAccount(served, home), '--domains', 'app.example', '--http', '--http.port', `127.0.0.1:${httpPort}`, 'run'],
        { env: { ...env, LEGO_CA_CERTIFICATES: served.caFile }, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('rejectedIdentifier');
      expect(r.stderr).toContain("outside the CA's name constraints");
      expect(r.stderr).toContain('It may only sign names under: test, 127.0.0.0/8');
    } finally {
      await stopServe(served);
    }
  });
});
