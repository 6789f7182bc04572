// Caddy 2.6 with `acme_ca` pointed at `lanyard acme serve` serves app.test over HTTPS with the certificate it got,
// and curl trusting only the Lanyard CA accepts it. Loopback only: http-01 and tls-alpn-01 reach Caddy at 127.0.0.1
// through --resolve-local, on Caddy's random http_port / https_port given to Lanyard as its validation ports.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InventoryEntry } from '../../../main/certs/contract.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { freePort } from '../../support/free-port.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { acmeServe, type Served, stopServe } from './acme-serve.ts';

const caddy = findPeer('caddy', 'apt-get install caddy');
const curl = findPeer('curl', 'apt-get install curl');

describe.skipIf(!caddy || !curl)('Caddy with acme_ca pointed at Lanyard', () => {
  const home = tempDir('lanyard-acme-caddy-');
  const env = { ...process.env, LANYARD_HOME: path.join(home, 'lanyard'), HOME: home };
  let served: Served | undefined;
  let caddyChild: ChildProcess | undefined;
  afterAll(async () => {
    caddyChild?.kill('SIGTERM');
    if (served) await stopServe(served);
  });

  it('gets a certificate for app.test and serves HTTPS that curl, trusting only the Lanyard CA, accepts', { timeout: 90_000 }, async () => {
    const [httpPort, httpsPort] = [await freePort(), await freePort()];
    served = await acmeServe(env, ['--resolve-local', '--http-port', String(httpPort), '--tls-port', String(httpsPort)]);
    const dir = path.join(home, 'caddy');
    mkdirSync(dir, { recursive: true });
    // The Caddyfile a user writes from the app's snippet, plus test-only ports, storage and no trust-store install.
    writeFileSync(
      path.join(dir, 'Caddyfile'),
      `{
\tadmin off
\thttp_port ${httpPort}
\thttps_port ${httpsPort}
\tacme_ca ${served.directory}
\tacme_ca_root ${served.caFile}
\temail dev@app.test
\tstorage file_system ${path.join(dir, 'data')}
\tskip_install_trust
}
app.test {
\trespond "hello from app.test"
}
`,
    );
    caddyChild = spawn(caddy!, ['run', '--config', 'Caddyfile', '--adapter', 'caddyfile'], {
      cwd: dir,
      env: { ...env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
      stdio: 'ignore',
    });
    const fetchOnce = () =>
      spawnSync(
        curl!,
        ['-sS', '--cacert', served!.caFile, '--resolve', `app.test:${httpsPort}:127.0.0.1`, `https://app.test:${httpsPort}/`],
        {
          encoding: 'utf8',
          timeout: 10_000,
        },
      );
    let answer = fetchOnce();
    for (let i = 0; i < 60 && answer.stdout !== 'hello from app.test'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      answer = fetchOnce();
    }
    expect(answer.stdout, answer.stderr).toBe('hello from app.test');
    const entries = JSON.parse(
      spawnSync(nodeBin, [cliBundle, 'cert', 'list', '--json'], { env, encoding: 'utf8' }).stdout,
    ) as InventoryEntry[];
    const entry = entries.find((e) => e.names[0]!.value === 'app.test')!;
    expect(entry.acme!.client).toMatch(/Caddy|certmagic/i);
  });
});
