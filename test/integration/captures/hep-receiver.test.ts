// Issue 13, HEP on the wire without a SIP peer: TCP framing (split and packed segments, a stream that stops
// being HEP), the auth key, the connection cap, and --hep-forward judged by a second Lanyard HEP receiver whose
// pcapng tshark reads back.
import dgram from 'node:dgram';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListenSettings } from '../../../main/captures/contract.ts';
import { FileOutput } from '../../../main/captures/file-output.ts';
import { encodeHep3 } from '../../../main/captures/hep/hep-encode.ts';
import { Listener } from '../../../main/captures/listener.ts';
import type { TransportPacket } from '../../../main/captures/transport-packet.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { forceReceivePath, receivePaths } from '../../support/receive-paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { ethernet, ethernetDns, ipv4, udp } from './frames.ts';
import { freePort, sipStat, until } from './sip-lab.ts';
import { tshark } from './tshark.ts';

const dir = tempDir();
const running: Listener[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.stop()));
});

async function start(extra: Partial<ListenSettings>) {
  const listener = await Listener.start({ port: 0, bind: '127.0.0.1', allow: [], tzsp: false, ...extra });
  running.push(listener);
  const seen: TransportPacket[] = [];
  listener.tap.add((p) => seen.push({ ...p, payload: Buffer.from(p.payload) }));
  return { listener, seen };
}

const sip = (n: number) =>
  Buffer.from(`OPTIONS sip:host${n} SIP/2.0\r\nCall-ID: call-${n}\r\nCSeq: ${n} OPTIONS\r\nContent-Length: 0\r\n\r\n`);
const hep = (n: number, authKey?: string) =>
  encodeHep3({
    protocol: 17,
    src: '192.0.2.1',
    dst: '192.0.2.2',
    sport: 5060,
    dport: 5060,
    timestampUs: 1_700_000_000_000_000 + n,
    payloadType: 1,
    captureId: 7,
    ...(authKey ? { authKey } : {}),
    payload: sip(n),
  })!;

async function sendUdp(port: number, datagrams: Buffer[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  for (const d of datagrams)
    await new Promise<void>((resolve, reject) => socket.send(d, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  socket.close();
}

async function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  return socket;
}

describe('HEP over TCP', () => {
  it('frames messages split across segments and packed several to a segment, in order', async () => {
    const hepPort = await freePort();
    const { listener, seen } = await start({ hep: { port: hepPort, bind: '127.0.0.1' } });
    const stream = Buffer.concat(Array.from({ length: 50 }, (_, n) => hep(n)));
    const socket = await connect(hepPort);
    // Cuts of 1, 7, 333 … bytes: headers and chunks split at every kind of place; several messages per write too.
    for (let at = 0, i = 0; at < stream.length; i++) {
      const size = [1, 7, 333, 6, 2000, 5][i % 6]!;
      socket.write(stream.subarray(at, at + size));
      at += size;
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => seen.length === 50, '50 messages');
    expect(seen.map((p) => p.payload.toString())).toEqual(Array.from({ length: 50 }, (_, n) => sip(n).toString()));
    expect(seen.every((p) => p.transport === 'udp' && p.src === '192.0.2.1' && p.source === 'hep 7@127.0.0.1')).toBe(true);
    socket.destroy();
    expect(listener.status().hep?.totals).toMatchObject({ messages: 50, connections: 1, malformed: 0 });
  });

  it('closes a connection that stops speaking HEPv3, counting it, and keeps serving others', async () => {
    const hepPort = await freePort();
    const { listener, seen } = await start({ hep: { port: hepPort, bind: '127.0.0.1' } });
    const bad = await connect(hepPort);
    const closed = new Promise((r) => bad.once('close', r));
    bad.on('error', () => undefined);
    bad.write(Buffer.concat([hep(1), Buffer.from('GET / HTTP/1.1\r\n\r\n')]));
    await closed;
    const good = await connect(hepPort);
    good.write(hep(2));
    await until(() => seen.length === 2, 'both messages');
    good.destroy();
    expect(listener.status().hep?.totals).toMatchObject({ messages: 2, connectionsBroken: 1, malformed: 1 });
  });

  it('refuses connections past the cap, counting them', async () => {
    const hepPort = await freePort();
    const { listener } = await start({ hep: { port: hepPort, bind: '127.0.0.1' } });
    const sockets = await Promise.all(Array.from({ length: 66 }, () => connect(hepPort)));
    for (const s of sockets) s.on('error', () => undefined);
    await until(() => (listener.status().hep?.totals.connectionsRefused ?? 0) === 2, 'two refusals');
    for (const s of sockets) s.destroy();
    expect(listener.status().hep?.totals.connections).toBe(64);
  });
});

describe.each(receivePaths)('HEP auth key (UDP: %s)', (receivePath) => {
  forceReceivePath(receivePath);
  it('with a password: a missing or wrong key is counted and dropped, the right one passes; keepalives and non-HEP are counted', async () => {
    const hepPort = await freePort();
    const { listener, seen } = await start({ hep: { port: hepPort, bind: '127.0.0.1', password: 'right' } });
    const keepalive = Buffer.from('48455033000e0000000d0008001e', 'hex'); // HEP3, 14 bytes: chunk 13, keep-alive timer 30
    await sendUdp(hepPort, [hep(1), hep(2, 'wrong'), hep(3, 'right'), keepalive, Buffer.from('not hep at all')]);
    await until(() => listener.status().hep?.totals.received === 5, 'five datagrams');
    expect(seen.map((p) => p.payload.toString())).toEqual([sip(3).toString()]);
    expect(listener.status().hep?.totals).toMatchObject({ messages: 1, authFailed: 2, keepalive: 1, unsupported: 1 });
    expect(listener.status().settings?.hep?.password).toBe('‹set›');
  });
});

describe.skipIf(!tshark).each(receivePaths)('--hep-forward (UDP: %s)', (receivePath) => {
  forceReceivePath(receivePath);
  it('sends the SIP a TZSP sensor shows (nothing else) to a HEP receiver, which writes what tshark reads as that SIP', async () => {
    const hepPort = await freePort();
    const judge = await start({ hep: { port: hepPort, bind: '127.0.0.1' } });
    const written = path.join(dir, 'forwarded.pcapng');
    const file = new FileOutput({ path: written });
    judge.listener.addOutput('file', file);
    const { listener } = await start({ tzsp: true, hepForward: `127.0.0.1:${hepPort}` });
    const sipFrame = (n: number) => ethernet(0x0800, ipv4(17, '10.1.1.1', '10.2.2.2', udp(5060, 5080, sip(n))));
    const datagrams = [sipFrame(1), ethernetDns, sipFrame(2), sipFrame(3)].map((f) => buildTzsp(f, { encapsulation: 1 }));
    await sendUdp(listener.receiver.address!.port, datagrams);
    await until(() => judge.seen.length === 3, 'three forwarded messages');
    await new Promise((r) => setTimeout(r, 200)); // nothing more arrives: the DNS query was not forwarded
    expect(judge.seen.map((p) => [p.src, p.sport, p.dst, p.dport, p.payload.toString()])).toEqual(
      [1, 2, 3].map((n) => ['10.1.1.1', 5060, '10.2.2.2', 5080, sip(n).toString()]),
    );
    expect(judge.seen[0]!.source).toBe('hep 19545/127.0.0.1@127.0.0.1'); // Lanyard's agent id 0x4c59, the sensor as node name
    expect(listener.status().forward).toMatchObject({ sent: 3, backlog: 0, failed: 0 });
    await judge.listener.stop();
    expect(sipStat(tshark!, written)).toContain('OPTIONS         :     3 Packets');
  });

  it("relays HEP agents' messages as they came", async () => {
    const judgePort = await freePort();
    const judge = await start({ hep: { port: judgePort, bind: '127.0.0.1' } });
    const relayPort = await freePort();
    await start({ hep: { port: relayPort, bind: '127.0.0.1' }, hepForward: `127.0.0.1:${judgePort}` });
    await sendUdp(relayPort, [hep(1), hep(2)]);
    await until(() => judge.seen.length === 2, 'two relayed messages');
    expect(judge.seen.map((p) => [p.ts, p.payload.toString(), p.source])).toEqual(
      [1, 2].map((n) => [1_700_000_000_000_000 + n, sip(n).toString(), 'hep 7@127.0.0.1']),
    );
  });
});
