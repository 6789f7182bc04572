// The "done when", with real Caddy 2.6 and real Chromium: a newcomer trusts the Lanyard CA with
// `lanyard cert -install` (an NSS database in a temp HOME, as Chromium's own), runs `lanyard acme serve`, pastes the
// Caddy snippet `lanyard acme clients` prints for app.test, and Caddy serves HTTPS that curl (trusting only the
// Lanyard CA) and Chromium (trusting what NSS trusts; no --ignore-certificate-errors) accept — then renews on its own.
// Loopback only: http-01 and tls-alpn-01 reach Caddy at 127.0.0.1 through --resolve-local, on Caddy's random
// http_port / https_port given to Lanyard as its validation ports; Chromium maps app.test with --host-resolver-rules.
//
// Renewing within the test's time: the Caddyfile cannot set the renewal window in 2.6 (`renewal_window_ratio` is a
// JSON-only field of an automation policy; `renew_interval` is both), so the test adapts the pasted Caddyfile to
// JSON and sets both there. Certmagic renews when the time left is under ratio × (notAfter − notBefore); Lanyard
// backdates notBefore by an hour (clock skew), so a 1-hour certificate spans 2 hours and a ratio of 0.4985 renews
// it 11 s after issue, and each new one 11 s after that (0.5 or more: at once, without end); the checks after the
// first renewal allow for the next. With the snippet as pasted (ratio 1/3, checked every 10 minutes) Caddy renews
// a 1-hour certificate 20–30 minutes after issue, and a 7-day one after ~5 days.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import type { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { AcmeClientSnippet, InventoryEntry } from '../../../main/certs/contract.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { freePort } from '../../support/free-port.ts';
import { findPeer } from '../../support/peers.ts';
import { chromiumArgs, screenshot } from '../../support/serve.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { acmeServe, type Served, stopServe } from './acme-serve.ts';

const caddy = findPeer('caddy', 'apt-get install caddy');
const curl = findPeer('curl', 'apt-get install curl');
const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const certutil = findPeer('certutil', 'apt-get install libnss3-tools');

const renewalWindowRatio = 0.4985;
const run = promisify(execFile);

describe.skipIf(!caddy || !curl || !chromiumPath || !certutil)(
  'Caddy with the pasted acme_ca snippet, trusted by curl and Chromium',
  () => {
    const home = tempDir('lanyard-acme-caddy-');
    const untrustedHome = tempDir('lanyard-acme-caddy-untrusted-');
    const env = { ...process.env, LANYARD_HOME: path.join(home, 'lanyard'), HOME: home, CAROOT: '' };
    const lanyard = (args: string[]) => spawnSync(nodeBin, [cliBundle, ...args], { env, encoding: 'utf8', timeout: 60_000 });
    let served: Served | undefined;
    let caddyChild: ChildProcess | undefined;
    let caddyLog = '';
    let backend: Server | undefined;
    let httpsPort = 0;
    afterAll(async () => {
      caddyChild?.kill('SIGTERM');
      backend?.close();
      if (served) await stopServe(served);
    });

    /** The certificate Caddy serves for app.test, read by a TLS client that trusts only the Lanyard CA. */
    const servedCertificate = (caFile: string) =>
      new Promise<X509Certificate>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: httpsPort, servername: 'app.test', ca: readFileSync(caFile) }, () => {
          const peer = socket.getPeerX509Certificate()!;
          socket.end();
          resolve(peer);
        });
        socket.on('error', reject);
      });

    /** A fresh Chromium (it caches verification per process) whose HOME holds the NSS database; the page and its TLS. */
    async function chromiumVisit(shot: string, browserHome = home) {
      const browser = await chromium.launch({
        executablePath: chromiumPath!,
        args: [...chromiumArgs, '--host-resolver-rules=MAP app.test 127.0.0.1'],
        env: { ...process.env, HOME: browserHome },
      });
      try {
        const page = await browser.newPage();
        const response = await page.goto(`https://app.test:${httpsPort}/`);
        await screenshot(page, shot);
        return { status: response!.status(), text: await page.locator('body').innerText(), security: await response!.securityDetails() };
      } finally {
        await browser.close();
      }
    }

    it('trusts the CA in the NSS database with `lanyard cert -install`', { timeout: 60_000 }, () => {
      // Chromium creates this database on its first start; certutil makes the same empty one.
      const nssdb = path.join(home, '.pki', 'nssdb');
      mkdirSync(nssdb, { recursive: true });
      expect(spawnSync(certutil!, ['-N', '-d', `sql:${nssdb}`, '--empty-password']).status).toBe(0);
      const installed = lanyard(['cert', '-install', '--store', 'nss']);
      expect(installed.status, installed.stdout + installed.stderr).toBe(0);
      expect(installed.stdout).toMatch(/certutil -A -d sql:\S+nssdb -t C,, -n 'Lanyard development CA \d+'/);
    });

    it('serves app.test from the pasted Caddyfile over HTTPS that curl and Chromium trust', { timeout: 120_000 }, async () => {
      let httpPort: number;
      [httpPort, httpsPort] = [await freePort(), await freePort()];
      served = await acmeServe(env, [
        '--resolve-local',
        '--validity',
        '1h',
        '--http-port',
        String(httpPort),
        '--tls-port',
        String(httpsPort),
      ]);
      // The app behind Caddy: the snippet proxies to 127.0.0.1:3000; the test's app listens on a free port instead.
      backend = createServer((_request, response) => response.end('hello from app.test'));
      await new Promise<void>((resolve) => backend!.listen(0, '127.0.0.1', resolve));
      const backendPort = (backend.address() as AddressInfo).port;

      const printed = lanyard(['acme', 'clients', '--client', 'caddy', '--name', 'app.test', '--url', served.directory, '--json']);
      expect(printed.status, printed.stderr).toBe(0);
      const snippet = (JSON.parse(printed.stdout) as AcmeClientSnippet[])[0]!.text;
      expect(snippet).toContain(`acme_ca ${served.directory}`);
      expect(snippet).toContain('reverse_proxy 127.0.0.1:3000');
      // As pasted, plus test-only lines in the global block: ports, storage in the temp HOME, no admin, no trust install.
      const testOnly = [
        '\tadmin off',
        `\thttp_port ${httpPort}`,
        `\thttps_port ${httpsPort}`,
        '\temail dev@app.test',
        `\tstorage file_system ${path.join(home, 'caddy', 'data')}`,
        '\tskip_install_trust',
      ].join('\n');
      const caddyfile = snippet.replace('{\n', `{\n${testOnly}\n`).replace('127.0.0.1:3000', `127.0.0.1:${backendPort}`);
      const dir = path.join(home, 'caddy');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'Caddyfile'), caddyfile);

      // Caddyfile → JSON, then the two renewal knobs that only JSON has in 2.6 (see the header).
      const adapted = spawnSync(caddy!, ['adapt', '--config', 'Caddyfile', '--adapter', 'caddyfile'], { cwd: dir, encoding: 'utf8' });
      expect(adapted.status, adapted.stderr).toBe(0);
      const config = JSON.parse(adapted.stdout) as {
        apps: {
          tls: { automation: { renew_interval?: string; policies: { renewal_window_ratio?: number; issuers: { ca: string }[] }[] } };
        };
      };
      const automation = config.apps.tls.automation;
      expect(automation.policies.flatMap((p) => p.issuers.map((i) => i.ca))).toContain(served.directory);
      automation.renew_interval = '2s';
      for (const policy of automation.policies) policy.renewal_window_ratio = renewalWindowRatio;
      writeFileSync(path.join(dir, 'caddy.json'), JSON.stringify(config, null, 2));
      const validated = spawnSync(caddy!, ['validate', '--config', 'caddy.json'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...env, XDG_DATA_HOME: dir },
      });
      expect(validated.status, validated.stderr).toBe(0);

      caddyChild = spawn(caddy!, ['run', '--config', 'caddy.json'], {
        cwd: dir,
        env: { ...env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      caddyChild.stderr!.on('data', (chunk: Buffer) => {
        caddyLog = (caddyLog + chunk.toString()).slice(-20_000);
      });

      // curl asynchronously: the app Caddy proxies to lives in this process and must keep answering.
      const fetchOnce = () =>
        run(curl!, ['-sS', '--cacert', served!.caFile, '--resolve', `app.test:${httpsPort}:127.0.0.1`, `https://app.test:${httpsPort}/`], {
          encoding: 'utf8',
          timeout: 10_000,
        }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? String(error) }));
      let answer = await fetchOnce();
      for (let i = 0; i < 120 && answer.stdout !== 'hello from app.test'; i++) {
        await new Promise((r) => setTimeout(r, 250));
        answer = await fetchOnce();
      }
      expect(answer.stdout, `${answer.stderr}\n${caddyLog}`).toBe('hello from app.test');

      // The control: a Chromium whose HOME has no Lanyard CA in its NSS database refuses the same page.
      await expect(chromiumVisit('acme-caddy-chromium-untrusted', untrustedHome)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
      const visit = await chromiumVisit('acme-caddy-chromium');
      expect(visit).toMatchObject({ status: 200, text: 'hello from app.test' });
      // ACME leaves carry their name in the SAN only (empty subject); the issuer is the Lanyard CA.
      expect(visit.security).toMatchObject({ subjectName: '', protocol: 'TLS 1.3' });
      expect(visit.security!.issuer).toMatch(/^Lanyard /);
    });

    it('renews on its own: a new certificate is served and the inventory shows the renewal', { timeout: 180_000 }, async () => {
      const first = await servedCertificate(served!.caFile);
      const listed = () =>
        (JSON.parse(lanyard(['cert', 'list', '--json']).stdout) as InventoryEntry[]).filter((e) => e.names[0]!.value === 'app.test');
      const before = listed();
      expect(before).toHaveLength(1);
      expect(before[0]!.serial.toLowerCase()).toBe(first.serialNumber.toLowerCase());
      expect(before[0]!.acme!.client).toMatch(/Caddy|certmagic/i);
      expect(before[0]!.renewedAt).toBeNull();

      // 11 s after issue Caddy's maintenance (every 2 s) finds the certificate in its window; allow for a slow machine.
      const firstValidTo = new Date(first.validTo).getTime();
      let current = first;
      for (let i = 0; i < 150 && current.serialNumber === first.serialNumber; i++) {
        await new Promise((r) => setTimeout(r, 500));
        current = await servedCertificate(served!.caFile);
      }
      expect(current.serialNumber, caddyLog).not.toBe(first.serialNumber);
      expect(new Date(current.validTo).getTime()).toBeGreaterThan(firstValidTo);
      expect(caddyLog).toMatch(/renew/i);

      // Still one inventory line for the site: the same entry, now holding the certificate Caddy serves and a
      // last-renewal time. Read until the two agree: Caddy may be between the next issue and serving it.
      let after = listed();
      for (let i = 0; i < 20 && after[0]?.serial.toLowerCase() !== current.serialNumber.toLowerCase(); i++) {
        await new Promise((r) => setTimeout(r, 250));
        current = await servedCertificate(served!.caFile);
        after = listed();
      }
      expect(after).toHaveLength(1);
      expect(after[0]!.id).toBe(before[0]!.id);
      expect(after[0]!.serial.toLowerCase()).toBe(current.serialNumber.toLowerCase());
      expect(after[0]!.renewedAt).not.toBeNull();

      // Chromium trusts the renewed certificate (any renewal's: each ends later than the first).
      const visit = await chromiumVisit('acme-caddy-chromium-renewed');
      expect(visit).toMatchObject({ status: 200, text: 'hello from app.test' });
      expect(visit.security!.validTo! * 1000).toBeGreaterThan(firstValidTo);
    });
  },
);
