// History sync through two real Syncthing daemons (Debian syncthing) on loopback: each machine's LANYARD_HOME
// syncs through its own folder, Syncthing moves the segments between the two folders. Own --home each, GUI and
// sync ports on 127.0.0.1, no announce, relays or NAT, device ids exchanged through the REST API.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSegmentName } from '../../../../main/history/sync/target.ts';
import { findPeer } from '../../../support/peers.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { join, setUp, testHost, type TestHost } from './hosts.ts';

const syncthing = findPeer('syncthing', 'Debian package syncthing');
const apiKey = 'lanyard-test-key';

interface Daemon {
  id: string;
  gui: number;
  listen: number;
  folder: string;
  process: ChildProcess;
  log: () => string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function rest(d: Daemon, method: string, url: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${d.gui}${url}`, {
    method,
    headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

async function start(root: string, name: string): Promise<Daemon> {
  const home = path.join(root, `st-${name}`);
  const folder = path.join(root, `folder-${name}`);
  mkdirSync(path.join(folder, '.stfolder'), { recursive: true });
  execFileSync(syncthing!, ['generate', `--home=${home}`, '--no-default-folder', '--skip-port-probing'], { stdio: 'ignore' });
  const id = execFileSync(syncthing!, ['serve', `--home=${home}`, '--device-id'], { encoding: 'utf8' }).trim();
  const gui = await freePort();
  const listen = await freePort();
  const child = spawn(
    syncthing!,
    [
      'serve',
      `--home=${home}`,
      '--no-browser',
      '--no-restart',
      '--no-upgrade',
      `--gui-address=http://127.0.0.1:${gui}`,
      `--gui-apikey=${apiKey}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, STNODEFAULTFOLDER: '1', STNOUPGRADE: '1' } },
  );
  let log = '';
  child.stdout!.on('data', (b: Buffer) => {
    log = (log + b.toString()).slice(-20_000);
  });
  child.stderr!.on('data', (b: Buffer) => {
    log = (log + b.toString()).slice(-20_000);
  });
  const d: Daemon = { id, gui, listen, folder, process: child, log: () => log };
  for (let i = 0; ; i++) {
    try {
      await rest(d, 'GET', '/rest/system/ping');
      break;
    } catch (error) {
      if (i > 200) throw new Error(`syncthing ${name} did not start: ${(error as Error).message}\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await rest(d, 'PATCH', '/rest/config/options', {
    listenAddresses: [`tcp://127.0.0.1:${listen}`],
    globalAnnounceEnabled: false,
    localAnnounceEnabled: false,
    relaysEnabled: false,
    natEnabled: false,
    urAccepted: -1,
    crashReportingEnabled: false,
    autoUpgradeIntervalH: 0,
    startBrowser: false,
  });
  return d;
}

async function pair(a: Daemon, b: Daemon): Promise<void> {
  for (const [self, other] of [
    [a, b],
    [b, a],
  ] as const) {
    await rest(self, 'POST', '/rest/config/devices', {
      deviceID: other.id,
      name: other.id.slice(0, 7),
      addresses: [`tcp://127.0.0.1:${other.listen}`],
    });
    await rest(self, 'POST', '/rest/config/folders', {
      id: 'lanyard-history',
      label: 'history',
      path: self.folder,
      type: 'sendreceive',
      devices: [{ deviceID: a.id }, { deviceID: b.id }],
      rescanIntervalS: 1,
      fsWatcherEnabled: true,
      fsWatcherDelayS: 1,
    });
  }
}

/** Sync `host` until `done` holds (Syncthing moves files in its own time), at most ~90 s. */
async function until(host: TestHost, done: () => boolean, what: string, daemons: Daemon[]): Promise<void> {
  for (let i = 0; i < 180; i++) {
    await host.sync();
    if (done()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}\n${daemons.map((d) => d.log().slice(-3000)).join('\n----\n')}`);
}

describe.skipIf(!syncthing)('history sync through two Syncthing daemons on loopback', () => {
  const daemons: Daemon[] = [];
  afterAll(() => {
    for (const d of daemons) d.process.kill();
  });

  it('a run on one machine appears on the other, and a deletion on the other is gone on the first', async () => {
    const root = tempDir('lanyard-sync-st-');
    const [sa, sb] = [await start(root, 'a'), await start(root, 'b')];
    daemons.push(sa, sb);
    await pair(sa, sb);
    const a = testHost(root, 'laptop');
    const b = testHost(root, 'desktop');
    a.run('ssh prod-db # from the laptop');
    const words = await setUp(a, { kind: 'folder', dir: sa.folder });
    // b joins once Syncthing has brought it a's first segment (join checks the key against it). The lanyard/ folder
    // arrives first and the segment after it (Syncthing writes a temporary file and renames it when complete).
    const segmentArrived = () =>
      (readdirSync(sb.folder, { recursive: true }) as string[]).some((f) => parseSegmentName(path.basename(f)) !== null);
    for (let i = 0; i < 180 && !segmentArrived(); i++) await new Promise((r) => setTimeout(r, 500));
    await join(b, { kind: 'folder', dir: sb.folder }, words);
    await until(b, () => b.commands().includes('ssh prod-db # from the laptop'), 'the run on b', daemons);
    b.db.prepare('DELETE FROM history_runs').run();
    await b.sync();
    await until(a, () => a.commands().length === 0, 'the deletion on a', daemons);
    expect(a.commands()).toEqual([]);
  });
});
