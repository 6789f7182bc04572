// The ACME server through the contract, as the app drives it: off by default, started with settings that are saved,
// back on when a new host loads the certs service, off again (and saved off) when stopped; a port in use is a clear error.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startInProcess } from '../../../main/host/in-process.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { acmeServe, stopServe } from './acme-serve.ts';

describe('ACME in the service host', () => {
  const home = tempDir('lanyard-acme-service-');
  const env = { LANYARD_HOME: path.join(home, 'lanyard'), CAROOT: '', HOME: home };
  let blocker: Server | undefined;
  afterAll(() => blocker?.close());

  it('is off by default, starts with saved settings, resumes in a new host, and stays off once stopped', async () => {
    const first = startInProcess({ env });
    const initial = await first.api.certs.acmeState({});
    expect(initial).toMatchObject({ running: false, directoryUrl: null, settings: { enabled: false, port: 14000, validityHours: 168 } });
    const started = await first.api.certs.acmeStart({ port: 0, validityHours: 12, names: ['*.test'], resolveLocal: true });
    expect(started.running).toBe(true);
    expect(started.directoryUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/directory$/);
    expect(started.settings).toMatchObject({ enabled: true, validityHours: 12, names: ['*.test'], resolveLocal: true });
    const directory = await fetch(started.directoryUrl!).catch((e: Error) => e);
    // Node's fetch does not trust the Lanyard CA: refused for the certificate, which proves the server answered TLS.
    expect(String((directory as Error).cause ?? directory)).toMatch(/certificate|self-signed|issuer/i);
    await first.host.close();

    const second = startInProcess({ env });
    const resumed = await second.api.certs.acmeState({});
    expect(resumed.running).toBe(true);
    expect(resumed.settings.validityHours).toBe(12);
    const stopped = await second.api.certs.acmeStop({});
    expect(stopped).toMatchObject({ running: false, settings: { enabled: false } });
    await second.host.close();

    const third = startInProcess({ env });
    expect((await third.api.certs.acmeState({})).running).toBe(false);

    blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker!.once('listening', r));
    const taken = (blocker.address() as { port: number }).port;
    await expect(third.api.certs.acmeStart({ port: taken })).rejects.toThrow(
      `did not start: Port ${taken} on 127.0.0.1 is already in use, so the ACME server cannot listen there.`,
    );
    expect((await third.api.certs.acmeState({})).lastError).toMatch(`Port ${taken} on 127.0.0.1 is already in use`);
    await third.host.close();
  });

  it('`lanyard acme serve` on a port in use, or an address not on this machine, says so and what to do (no stack trace)', async () => {
    const taken = (blocker!.address() as { port: number }).port;
    const inUse = spawnSync(nodeBin, [cliBundle, 'acme', 'serve', '--port', String(taken)], { env, encoding: 'utf8', timeout: 30_000 });
    expect(inUse.status).toBe(1);
    expect(inUse.stderr).toContain(`lanyard: Port ${taken} on 127.0.0.1 is already in use`);
    expect(inUse.stderr).toContain('pick another with --port');
    expect(inUse.stderr).not.toContain('unexpected error');
    // 192.0.2.0/24 is documentation space: no machine has it.
    const elsewhere = spawnSync(nodeBin, [cliBundle, 'acme', 'serve', '--port', '0', '--bind', '192.0.2.44'], {
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stderr).toContain('lanyard: 192.0.2.44 is not an address of this machine');
    expect(elsewhere.stderr).toContain('--bind');
  });

  it('names a server `lanyard acme serve` runs on the same data, for the card, and forgets it once stopped', async () => {
    const host = startInProcess({ env });
    try {
      const served = await acmeServe(env, ['--http-port', '18099']);
      const seen = await host.api.certs.acmeState({});
      expect(seen).toMatchObject({ running: false, elsewhere: served.directory });
      // The card's snippets are for that server: its URL and its http-01 port.
      const caddy = (await host.api.certs.acmeClients({})).find((c) => c.client === 'caddy')!;
      expect(caddy.text).toContain(`acme_ca ${served.directory}\n`);
      expect(caddy.text).toContain('\thttp_port 18099\n');
      // The host's own server on and off again: the other process's is still named.
      expect(await host.api.certs.acmeStart({ port: 0 })).toMatchObject({ running: true, elsewhere: served.directory });
      await host.api.certs.acmeStop({});
      expect((await host.api.certs.acmeState({})).elsewhere).toBe(served.directory);
      expect(await stopServe(served)).toBe(0);
      expect((await host.api.certs.acmeState({})).elsewhere).toBeNull();
    } finally {
      await host.host.close();
    }
  });
});
