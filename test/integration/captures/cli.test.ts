// The `lanyard tzsp` command as a user runs it: real processes, real UDP on loopback, tshark/dumpcap as judges.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileOutput } from '../../../main/captures/file-output.ts';
import { PcapngSession } from '../../../main/captures/pcapng-session.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { commandLine } from '../../../main/system/shell-quote.ts';
import { findPeer } from '../../support/peers.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { arpRequest, ethernet, ethernetDns, ipv4, radiotapProbe, rawIcmp, udp } from './frames.ts';
import { capinfosInterfaces, tshark, tsharkRead } from './tshark.ts';
import { pcapFile } from '../../support/pcap-file.ts';

const dumpcap = findPeer('dumpcap', 'apt-get install wireshark-common');
const dir = tempDir();
const env = { ...process.env, LANYARD_HOME: path.join(dir, 'home'), NO_COLOR: '1' };
const children: ChildProcess[] = [];
afterEach(async () => {
  // SIGTERM first: tshark then stops its dumpcap and extcap children instead of orphaning them.
  const alive = children.splice(0).filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of alive) c.kill('SIGTERM');
  await Promise.all(alive.map((c) => Promise.race([new Promise((r) => c.once('exit', r)), new Promise((r) => setTimeout(r, 3000))])));
  for (const c of alive) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(r));
  return port;
}

function lanyard(
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): ChildProcess & { stderrText: () => string; exited: Promise<number | null> } {
  const child = spawn(nodeBin, [cliBundle, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return Object.assign(child, { stderrText: () => stderr, exited });
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function sampleCapture(name: string): Promise<string> {
  const file = path.join(dir, name);
  const session = new PcapngSession();
  const out = new FileOutput({ path: file });
  session.attach(out);
  [arpRequest, ethernetDns].forEach((frame, i) =>
    session.write({ sensor: 's', linktype: 1, encapsulation: 1, frame, timestampNs: BigInt(i) }),
  );
  session.write({ sensor: 's', linktype: 101, encapsulation: 7, frame: rawIcmp, timestampNs: 3n });
  session.write({ sensor: 's', linktype: 127, encapsulation: 126, frame: radiotapProbe, timestampNs: 4n });
  await out.close();
  return file;
}

function send(file: string, to: string, ...more: string[]) {
  const r = spawnSync(nodeBin, [cliBundle, 'tzsp', 'send', '--pcap', file, '--to', to, ...more], {
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

describe.skipIf(!tshark || !existsSync(cliBundle))('lanyard tzsp (CLI)', () => {
  it('listen --tcp says TCP@ has no password, serves one reader at a time and counts the refused ones', async () => {
    const port = await freeUdpPort();
    const child = lanyard(['tzsp', 'listen', '--port', String(port), '--bind', '127.0.0.1', '--tcp', '0', '--quiet']);
    await until(() => /Ctrl\+C stops/.test(child.stderrText()), 'the listener');
    expect(child.stderrText()).toMatch(
      /TCP@ has no password: any program on this machine can connect to 127\.0\.0\.1:\d+ and read the capture\. One reader at a time/,
    );
    const tcpPort = Number(/TCP@127\.0\.0\.1:(\d+)/.exec(child.stderrText())![1]);
    const connect = () => {
      const socket = net.connect(tcpPort, '127.0.0.1');
      const state = { bytes: 0, closed: false, socket };
      socket
        .on('data', (d) => (state.bytes += d.length))
        .on('close', () => (state.closed = true))
        .on('error', () => undefined);
      return state;
    };
    const first = connect();
    await until(() => first.bytes > 0, 'the first reader to get the header');
    const second = connect();
    await until(() => second.closed, 'the second reader to be shut out');
    expect(second.bytes).toBe(0);
    child.kill('SIGINT');
    expect(await child.exited).toBe(0);
    expect(child.stderrText()).toMatch(/→ tcp TCP@127\.0\.0\.1:\d+ \(0 readers, 1 refused, closed to new readers\)/); // counted after the stop closed it
    first.socket.destroy();
  });

  it('listen --write records what send sends, and SIGINT flushes and prints a summary', async () => {
    const port = await freeUdpPort();
    const file = path.join(dir, 'listen.pcapng');
    const listener = lanyard(['tzsp', 'listen', '--port', String(port), '--bind', '127.0.0.1', '--write', file, '--quiet']);
    await until(() => listener.stderrText().includes('listening on'), 'the listener');
    const sample = await sampleCapture('sample.pcapng');
    expect(send(sample, `127.0.0.1:${port}`)).toContain('sent 4 packets');
    await new Promise((r) => setTimeout(r, 300));
    listener.kill('SIGINT');
    expect(await listener.exited).toBe(0);
    const summary = listener.stderrText();
    expect(summary).toMatch(/stopped on SIGINT/);
    expect(summary).toMatch(/4 packets from 1 sensor/);
    expect(summary).toMatch(/→ file .*listen\.pcapng: 4 packets/);
    const read = tsharkRead(file);
    expect(read.map((p) => p.raw.toString('hex'))).toEqual([arpRequest, ethernetDns, rawIcmp, radiotapProbe].map((f) => f.toString('hex')));
    expect(read.map((p) => p.protocols.split(':')[0])).toEqual(['eth', 'eth', 'raw', 'radiotap']);
  });

  it('listen --stdout | tshark -i - sees every sensor as its own interface; SIGTERM ends the stream cleanly', async () => {
    const port = await freeUdpPort();
    const listener = lanyard(['tzsp', 'listen', '--port', String(port), '--bind', '127.0.0.1', '--stdout', '--quiet']);
    const reader = spawn(tshark!, ['-i', '-', '-T', 'fields', '-e', 'frame.interface_name', '-e', 'frame.protocols'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    children.push(reader);
    listener.stdout!.pipe(reader.stdin!);
    let out = '';
    reader.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const readerDone = new Promise((r) => reader.on('close', r));
    await until(() => listener.stderrText().includes('listening on'), 'the listener');
    const socketA = dgram.createSocket('udp4');
    const socketB = dgram.createSocket('udp4');
    await new Promise<void>((r) => socketA.bind(0, '127.0.0.1', r));
    await new Promise<void>((r) => socketB.bind(0, '127.0.0.9', r));
    const sendOn = (s: dgram.Socket, d: Buffer) => new Promise<void>((r) => s.send(d, port, '127.0.0.1', () => r()));
    await sendOn(socketA, Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest])); // Scratch'n'Sniff layout
    await sendOn(socketB, buildTzsp(rawIcmp, { encapsulation: 7, deviceName: 'probe-b' }));
    await sendOn(socketA, buildTzsp(ethernetDns, { encapsulation: 1, originalLength: 900 }));
    socketA.close();
    socketB.close();
    await new Promise((r) => setTimeout(r, 300));
    listener.kill('SIGTERM');
    expect(await listener.exited).toBe(0);
    await readerDone;
    expect(out.trim().split('\n')).toEqual([
      '127.0.0.1\teth:ethertype:arp',
      'probe-b@127.0.0.9 ip\traw:ip:icmp:data',
      '127.0.0.1\teth:ethertype:ip:udp:dns',
    ]);
  });

  it('refuses --stdout onto a terminal and --ring without rotation, as usage errors', () => {
    const r = spawnSync(nodeBin, [cliBundle, 'tzsp', 'listen', '--write', 'x.pcapng', '--ring', '3'], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--ring needs --rotate-size or --rotate-seconds');
  });

  it('install-extcap: tshark lists "Lanyard TZSP" and captures from it with -i lanyard-tzsp -c N', { timeout: 60_000 }, async () => {
    const home = path.join(dir, 'extcap-home');
    const install = spawnSync(nodeBin, [cliBundle, 'tzsp', 'install-extcap'], { env: { ...env, HOME: home }, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);
    const launcher = path.join(home, '.config', 'wireshark', 'extcap', 'lanyard-tzsp');
    expect(readFileSync(launcher, 'utf8')).toContain(`exec ${commandLine([nodeBin, cliBundle, 'tzsp', 'extcap'], 'sh')} "$@"`);
    const tsharkEnv = { ...env, HOME: home };
    const list = spawnSync(tshark!, ['-D'], { env: tsharkEnv, encoding: 'utf8' });
    expect(list.stdout).toMatch(/lanyard-tzsp \(Lanyard TZSP receiver/);
    const prefs = spawnSync(tshark!, ['-G', 'defaultprefs'], { env: tsharkEnv, encoding: 'utf8' }).stdout;
    expect(prefs).toContain('#extcap.lanyard_tzsp.port: 37008');

    const port = await freeUdpPort();
    const file = path.join(dir, 'extcap.pcapng');
    const capture = spawn(
      tshark!,
      ['-i', 'lanyard-tzsp', '-o', `extcap.lanyard_tzsp.port:${port}`, '-o', 'extcap.lanyard_tzsp.bind:127.0.0.1', '-c', '4', '-w', file],
      { env: tsharkEnv, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    children.push(capture);
    let err = '';
    capture.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise<number | null>((r) => capture.on('close', r));
    await until(() => err.includes('Capture started'), 'tshark to start the extcap');
    // The extcap binds a moment after tshark starts it: resend the four frames until the capture completes.
    const sensor = dgram.createSocket('udp4');
    const datagrams = [
      Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest]),
      buildTzsp(rawIcmp, { encapsulation: 7 }),
      buildTzsp(radiotapProbe, { encapsulation: 126 }),
      buildTzsp(ethernetDns, { encapsulation: 1 }),
    ];
    const resend = setInterval(() => datagrams.forEach((d) => sensor.send(d, port, '127.0.0.1')), 250);
    const code = await done;
    clearInterval(resend);
    sensor.close();
    expect(code, err).toBe(0);
    expect(err).not.toContain('Error by extcap');
    const read = tsharkRead(file);
    expect(read).toHaveLength(4);
    expect(read.map((p) => p.protocols.split(':')[0])).toEqual(['eth', 'raw', 'radiotap', 'eth']);
    expect(capinfosInterfaces(file).names).toEqual(expect.arrayContaining(['127.0.0.1', '127.0.0.1 ip', '127.0.0.1 radiotap']));
  });

  it('decap pulls TZSP frames out of a synthetic capture (VLAN, IPv4, IPv6, a fragment) with one interface per sensor', () => {
    const ipv6Udp = (payload: Buffer) => {
      const h = Buffer.alloc(40);
      h[0] = 0x60;
      h.writeUInt16BE(8 + payload.length, 4);
      h[6] = 17;
      h[7] = 64;
      Buffer.from('20010db8000000000000000000000007', 'hex').copy(h, 8);
      Buffer.from('20010db8000000000000000000000001', 'hex').copy(h, 24);
      return Buffer.concat([h, udp(40000, 37008, payload)]);
    };
    const fragment = ipv4(17, '192.0.2.99', '192.0.2.1', udp(40000, 37008, Buffer.from([1, 0, 0, 1, 1, 0])));
    fragment.writeUInt16BE(0x2000, 6); // more fragments, and the rest never comes
    // A full-size frame: TZSP + UDP exceed the MTU, so it travels as two IPv4 fragments (sent last one first).
    const bigFrame = ethernet(0x88b5, Buffer.alloc(1500, 0x5a));
    const bigUdp = udp(40000, 37008, Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), bigFrame]));
    const piece = (offset: number, end: number, more: boolean) => {
      const p = ipv4(17, '192.0.2.7', '192.0.2.1', bigUdp.subarray(offset, end));
      p.writeUInt16BE(0x4242, 4);
      p.writeUInt16BE((more ? 0x2000 : 0) | (offset / 8), 6);
      return ethernet(0x0800, p);
    };
    const outer = [
      ethernet(0x0800, ipv4(17, '192.0.2.7', '192.0.2.1', udp(40000, 37008, Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest])))),
      Buffer.concat([
        Buffer.from('02000000000b02000000000a8100000a0800', 'hex'),
        ipv4(
          17,
          '192.0.2.8',
          '192.0.2.1',
          udp(40000, 37008, buildTzsp(radiotapProbe, { encapsulation: 126, timestamp: { seconds: 1_600_000_000, nanoseconds: 7 } })),
        ),
      ]),
      ethernet(0x86dd, ipv6Udp(buildTzsp(rawIcmp, { encapsulation: 7 }))),
      ethernet(0x0800, ipv4(17, '192.0.2.7', '192.0.2.1', udp(40000, 53, Buffer.from('not tzsp')))),
      ethernet(0x0800, ipv4(17, '192.0.2.7', '192.0.2.1', udp(40000, 37008, Buffer.from([1, 0, 0, 1])))),
      ethernet(0x0800, fragment),
      piece(1480, bigUdp.length, false),
      piece(0, 1480, true),
    ];
    const input = path.join(dir, 'outer.pcap');
    writeFileSync(input, pcapFile(outer, 1));
    const output = path.join(dir, 'inner.pcapng');
    const r = spawnSync(nodeBin, [cliBundle, 'tzsp', 'decap', input, output], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('4 frames from 3 sensor(s)');
    expect(r.stdout).toContain('1 other packets skipped, 1 malformed, 1 IP fragments left incomplete');
    const read = tsharkRead(output);
    expect(read.map((p) => p.interfaceName)).toEqual(['192.0.2.7', '192.0.2.8 radiotap', '2001:db8::7 ip', '192.0.2.7']);
    expect(read.map((p) => p.epoch)).toEqual([
      '1700000000.000000000',
      '1600000000.000000007',
      '1700000002.000000000',
      '1700000007.000000000',
    ]);
    expect(read[1]!.raw.equals(radiotapProbe)).toBe(true);
    expect(read[3]!.raw.equals(bigFrame)).toBe(true);
  });

  it.skipIf(!dumpcap)('decap round trip: dumpcap records real TZSP on loopback, decap gives back the frames sent', async () => {
    const port = await freeUdpPort();
    const outer = path.join(dir, 'loopback.pcapng');
    const capture = spawn(dumpcap!, ['-i', 'lo', '-f', `udp dst port ${port}`, '-c', '4', '-w', outer], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(capture);
    let err = '';
    capture.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise<number | null>((r) => capture.on('close', r));
    await until(() => err.includes('Capturing on'), 'dumpcap to start');
    await new Promise((r) => setTimeout(r, 300));
    send(await sampleCapture('roundtrip.pcapng'), `127.0.0.1:${port}`);
    expect(await done, err).toBe(0);
    const inner = path.join(dir, 'roundtrip-inner.pcapng');
    const r = spawnSync(nodeBin, [cliBundle, 'tzsp', 'decap', outer, inner, '--port', String(port)], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const read = tsharkRead(inner);
    expect(read.map((p) => p.raw.toString('hex'))).toEqual([arpRequest, ethernetDns, rawIcmp, radiotapProbe].map((f) => f.toString('hex')));
    expect(read.map((p) => p.interfaceName)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1 ip', '127.0.0.1 radiotap']);
    expect(readdirSync(dir)).toContain('roundtrip-inner.pcapng');
  });
});
