// dns-01 with a real client: `lanyard acme serve --dns-server` asks a DNS server on loopback (a tiny responder the
// test starts, answering from files) for _acme-challenge TXT records; lego 4.9's `exec` DNS provider runs a hook
// script that publishes the record by writing that file, as a user's hook would update their local DNS.
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryEntry } from '../../../main/certs/contract.ts';
import { type DnsResponder, startDnsResponder } from '../../support/dns-responder.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { acmeServe, legoAccount, type Served, stopServe } from './acme-serve.ts';

const lego = findPeer('lego', 'apt-get install lego');
const openssl = findPeer('openssl', 'apt-get install openssl');
const run = promisify(execFile);

describe.skipIf(!lego || !openssl)('ACME dns-01 against a DNS server on loopback (lego exec provider)', () => {
  const home = tempDir('lanyard-acme-dns01-');
  const env = { ...process.env, LANYARD_HOME: path.join(home, 'lanyard'), HOME: home };
  const records = path.join(home, 'records');
  let dns: DnsResponder;
  let served: Served;

  /** A DNS hook as lego's exec provider calls it, `hook present|cleanup FQDN VALUE`: publishes `value` (shell words), or nothing. */
  function hook(name: string, value: string | null): string {
    const file = path.join(home, name);
    const present = value === null ? ':' : `printf '%s' ${value} > "${records}/$2"`;
    writeFileSync(file, `#!/bin/sh\ncase "$1" in\n  present) ${present} ;;\n  cleanup) rm -f "${records}/$2" ;;\nesac\n`, { mode: 0o755 });
    return file;
  }

  beforeAll(async () => {
    mkdirSync(records, { recursive: true });
    dns = await startDnsResponder(records, 'app.test');
    served = await acmeServe(env, ['--dns-server', dns.address, '--validity', '1h']);
  });
  afterAll(async () => {
    if (served) await stopServe(served);
    await dns?.close();
  });

  // lego runs asynchronously: the DNS responder it and Lanyard ask lives in this process and must keep answering.
  const obtain = (domain: string, hookFile: string): Promise<{ status: number; stderr: string }> =>
    run(
      lego!,
      [...legoAccount(served, home), '--domains', domain, '--dns', 'exec', '--dns.resolvers', dns.address, '--dns.disable-cp', 'run'],
      {
        env: {
          ...env,
          LEGO_CA_CERTIFICATES: served.caFile,
          EXEC_PATH: hookFile,
          EXEC_POLLING_INTERVAL: '1',
          EXEC_PROPAGATION_TIMEOUT: '20',
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    ).then(
      (r) => ({ status: 0, stderr: r.stderr }),
      (error: { code?: number; stderr?: string }) => ({ status: error.code ?? 1, stderr: error.stderr ?? String(error) }),
    );

  it('says it offers dns-01 and which server it asks', () => {
    expect(served.stderr()).toContain(`dns-01 asks ${dns.address}`);
  });

  it('issues for app.test once the hook has published the TXT record Lanyard then reads', async () => {
    const r = await obtain('app.test', hook('publish.sh', '"$3"'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/use dns-01 solver/);
    const certFile = path.join(home, 'lego', 'certificates', 'app.test.crt');
    expect(spawnSync(openssl!, ['verify', '-CAfile', served.caFile, certFile], { encoding: 'utf8' }).stdout).toContain(': OK');
    // Lanyard asked the configured server (lego asks it too; its own TXT checks are counted with these).
    expect(dns.queries.filter((q) => q.name === '_acme-challenge.app.test.' && q.type === 16).length).toBeGreaterThanOrEqual(2);
    const entries = JSON.parse(
      spawnSync(nodeBin, [cliBundle, 'cert', 'list', '--json'], { env, encoding: 'utf8' }).stdout,
    ) as InventoryEntry[];
    expect(entries.find((e) => e.names[0]!.value === 'app.test')!.acme!.client).toMatch(/lego/i);
  });

  it('fails with incorrectResponse when the published value is wrong, showing what it found', async () => {
    const r = await obtain('wrong.app.test', hook('wrong.sh', 'not-the-digest'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('urn:ietf:params:acme:error:incorrectResponse');
    expect(r.stderr).toContain(`TXT _acme-challenge.wrong.app.test at ${dns.address}`);
    expect(r.stderr).toContain('"not-the-digest"');
  });

  it('fails with a dns problem when nothing is published', async () => {
    const r = await obtain('none.app.test', hook('nothing.sh', null));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('urn:ietf:params:acme:error:dns');
    expect(r.stderr).toContain('no TXT record');
  });
});
