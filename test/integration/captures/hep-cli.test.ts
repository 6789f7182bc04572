// `lanyard hep listen` and `lanyard tzsp listen --hep` as a user runs them: the built CLI in its own process,
// HEP on loopback UDP and TCP, tshark reading the pcapng it wrote, the summary it prints on Ctrl+C.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeHep3 } from '../../../main/captures/hep/hep-encode.ts';
import { HepReceiver } from '../../../main/captures/hep/hep-receiver.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { ethernet, ipv4, udp } from './frames.ts';
import { freePort, sipStat, until } from './sip-lab.ts';
import { capinfosInterfaces, tshark } from './tshark.ts';

const dir = tempDir();
const env = { ...process.env, LANYARD_HOME: path.join(dir, 'home'), NO_COLOR: '1' };
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

const sip = (n: number) =>
  Buffer.from(`MESSAGE sip:bob@b.example SIP/2.0\r\nCall-ID: m-${n}\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n`);
const hep = (n: number, authKey: string, protocol = 17) =>
  encodeHep3({
    protocol,
    src: '10.0.0.1',
    dst: '10.0.0.2',
    sport: 5060,
    dport: 5060,
    timestampUs: 1_700_000_000_000_000 + n * 1000,
    payloadType: 1,
    captureId: 42,
    nodeName: 'sbc-1',
    authKey,
    payload: sip(n),
  })!;

function start(
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(nodeBin, [cliBundle, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr, exit: new Promise((r) => child.once('exit', r)) };
}

describe.skipIf(!tshark)('lanyard hep listen', () => {
  it('writes HEP from UDP and TCP as one interface per agent, drops a wrong key, and prints the counters on SIGINT', async () => {
    const port = await freePort();
    const file = path.join(dir, 'hep.pcapng');
    const run = start(['hep', 'listen', '--port', String(port), '--bind', '127.0.0.1', '--password', 'k', '--write', file, '--quiet']);
    await until(() => run.stderr().includes('Lanyard HEP listening on 127.0.0.1'), `the listener\n${run.stderr()}`);
    const socket = dgram.createSocket('udp4');
    for (const d of [hep(1, 'k'), hep(2, 'wrong'), hep(3, 'k')])
      await new Promise<void>((r) => socket.send(d, port, '127.0.0.1', () => r()));
    socket.close();
    const tcp = net.connect(port, '127.0.0.1');
    await new Promise((r) => tcp.once('connect', r));
    tcp.end(Buffer.concat([hep(4, 'k', 6), hep(5, 'k', 6)]));
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toMatch(/HEP: 4 messages of 5 received · 1 wrong or missing auth key/);
    expect(capinfosInterfaces(file).names).toEqual(['hep 42/sbc-1@127.0.0.1']);
    expect(sipStat(tshark!, file)).toContain('MESSAGE         :     4 Packets');
  });

  it('tzsp listen --hep puts TZSP sensors and HEP agents into one pcapng', async () => {
    const [tzspPort, hepPort] = [await freePort(), await freePort()];
    const file = path.join(dir, 'both.pcapng');
    const run = start([
      'tzsp',
      'listen',
      '--port',
      String(tzspPort),
      '--bind',
      '127.0.0.1',
      '--hep',
      String(hepPort),
      '--write',
      file,
      '--quiet',
    ]);
    await until(() => run.stderr().includes('Lanyard HEP listening'), `the listener\n${run.stderr()}`);
    const socket = dgram.createSocket('udp4');
    const tzsp = buildTzsp(ethernet(0x0800, ipv4(17, '10.9.9.9', '10.0.0.2', udp(5060, 5060, sip(9)))), { encapsulation: 1 });
    for (const [d, p] of [
      [tzsp, tzspPort],
      [hep(1, ''), hepPort],
    ] as const)
      await new Promise<void>((r) => socket.send(d, p, '127.0.0.1', () => r()));
    socket.close();
    await new Promise((r) => setTimeout(r, 500));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(capinfosInterfaces(file).names.sort()).toEqual(['127.0.0.1', 'hep 42/sbc-1@127.0.0.1']);
    expect(sipStat(tshark!, file)).toContain('MESSAGE         :     2 Packets');
  });

  it('--hep-forward sends the key from --hep-forward-key-file or $LANYARD_HEP_FORWARD_KEY, never from argv', async () => {
    const homerPort = await freePort();
    const seen: (string | null)[] = [];
    const homer = new HepReceiver({ port: homerPort, bind: '127.0.0.1', password: 'from-file' }, (m) => seen.push(m.authKey));
    await homer.start();
    try {
      const keyFile = path.join(dir, 'homer.key');
      writeFileSync(keyFile, 'from-file\n', { mode: 0o600 });
      for (const [how, extraEnv, accepted] of [
        [['--hep-forward-key-file', keyFile], {}, 1],
        [[], { LANYARD_HEP_FORWARD_KEY: 'from-env' }, 0],
      ] as const) {
        const port = await freePort();
        const args = ['hep', 'listen', '--port', String(port), '--bind', '127.0.0.1', '--hep-forward', `127.0.0.1:${homerPort}`, ...how];
        const run = start([...args, '--quiet'], extraEnv);
        await until(() => run.stderr().includes('(with an auth key)'), `the forwarding line\n${run.stderr()}`);
        // What `ps` shows of the long-lived process: no key.
        expect(readFileSync(`/proc/${run.child.pid}/cmdline`, 'latin1')).not.toMatch(/from-(file|env)/);
        const before = homer.totals.received;
        await new Promise<void>((r) => {
          const socket = dgram.createSocket('udp4');
          socket.send(hep(1, 'k'), port, '127.0.0.1', () => socket.close(() => r()));
        });
        await until(() => homer.totals.received === before + 1, 'the forwarded message at HOMER');
        expect(homer.totals.messages).toBe(seen.length);
        expect(seen.length).toBe(1); // the file's key accepted; the env's (another key) counted as a failure
        run.child.kill('SIGINT');
        expect(await run.exit).toBe(0);
        if (!accepted) expect(homer.totals.authFailed).toBe(1);
      }
    } finally {
      await homer.stop();
    }
    const r = spawnSync(nodeBin, [cliBundle, 'hep', 'listen', '--hep-forward-key-file', path.join(dir, 'missing.key')], {
      env,
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--hep-forward-key-file: cannot read');
  });

  it('says which flags belong to which command', () => {
    const r = spawnSync(nodeBin, [cliBundle, 'hep', 'listen', '--hep', '9061'], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('hep listen takes --port, --bind and --password');
    const help = spawnSync(nodeBin, [cliBundle, 'help', 'hep'], { env, encoding: 'utf8' });
    expect(help.stdout).toContain('lanyard hep listen [--port 9060]');
  });
});
