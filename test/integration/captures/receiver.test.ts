import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileOutput } from '../../../main/captures/file-output.ts';
import { PcapngSession } from '../../../main/captures/pcapng-session.ts';
import { TzspReceiver, type ReceivedPacket } from '../../../main/captures/receiver.ts';
import { parseTarget, sendCapture } from '../../../main/captures/sender.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { arpRequest, ethernetDns, radiotapProbe, rawIcmp } from './frames.ts';
import { capinfosInterfaces, tshark, tsharkRead } from './tshark.ts';
import { pcapFile } from '../../support/pcap-file.ts';
import { receivePaths } from '../../support/receive-paths.ts';

const dir = tempDir();
const running: TzspReceiver[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function listen(options: ConstructorParameters<typeof TzspReceiver>[0] = {}) {
  const packets: ReceivedPacket[] = [];
  const session = new PcapngSession();
  const receiver = new TzspReceiver({ port: 0, bind: '127.0.0.1', ...options }, (p) => {
    packets.push({ ...p, tzsp: { ...p.tzsp, frame: Buffer.from(p.tzsp.frame) } }); // the frame is valid during the call only
    session.write({
      sensor: p.sensor,
      linktype: p.linktype,
      encapsulation: p.tzsp.encapsulation,
      frame: p.tzsp.frame,
      timestampNs: p.timestampNs,
      ...(p.tzsp.originalLength !== undefined ? { originalLength: p.tzsp.originalLength } : {}),
    });
  });
  running.push(receiver);
  const { port } = await receiver.start();
  return { receiver, port, packets, session };
}

/** Send datagrams from a chosen loopback source address, in order. */
async function sendFrom(source: string, port: number, datagrams: Buffer[], target = '127.0.0.1'): Promise<void> {
  const socket = dgram.createSocket(source.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, source, resolve));
  for (const d of datagrams) await new Promise<void>((resolve, reject) => socket.send(d, port, target, (e) => (e ? reject(e) : resolve())));
  socket.close();
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const snifferLayout = (frame: Buffer) => Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), frame]);

describe.each(receivePaths)('TZSP receiver over loopback UDP (%s)', (receivePath) => {
  it('captures Ethernet, raw IP and radiotap from two sensors into pcapng with one interface per (sensor, link type)', async () => {
    const { port, packets, session, receiver } = await listen({ receivePath });
    const file = path.join(dir, 'two-sensors.pcapng');
    const output = new FileOutput({ path: file });
    session.attach(output);
    await sendFrom('127.0.0.1', port, [snifferLayout(arpRequest), buildTzsp(rawIcmp, { encapsulation: 7 })]);
    await sendFrom('127.0.0.2', port, [
      buildTzsp(radiotapProbe, { encapsulation: 126, deviceName: 'ap-roof' }),
      buildTzsp(ethernetDns, { type: 1, encapsulation: 1, originalLength: 1514, timestamp: { seconds: 1_700_000_000, nanoseconds: 5 } }),
    ]);
    await until(() => packets.length === 4);
    await output.close();
    expect(packets.map((p) => p.sensor)).toEqual(['127.0.0.1', '127.0.0.1', 'ap-roof@127.0.0.2', '127.0.0.2']);
    if (!tshark) return;
    const read = tsharkRead(file);
    expect(read.map((p) => p.raw.toString('hex'))).toEqual([arpRequest, rawIcmp, radiotapProbe, ethernetDns].map((f) => f.toString('hex')));
    expect(read.map((p) => p.interfaceName)).toEqual(['127.0.0.1', '127.0.0.1 ip', 'ap-roof@127.0.0.2 radiotap', '127.0.0.2']);
    expect(read.map((p) => p.protocols.split(':')[0])).toEqual(['eth', 'raw', 'radiotap', 'eth']);
    expect(read[3]).toMatchObject({ epoch: '1700000000.000000005', length: 1514 });
    const arrival = Number(read[0]!.epoch);
    expect(Math.abs(arrival - Date.now() / 1000)).toBeLessThan(10);
    expect(capinfosInterfaces(file).count).toBe(4);
    const sensors = receiver.sensorStats();
    expect(sensors.find((s) => s.id === '127.0.0.1')).toMatchObject({
      packets: 2,
      bytes: arpRequest.length + rawIcmp.length,
      linktypes: [1, 101],
    });
  });

  it('counts malformed datagrams, keepalives and gaps in packet ids per sensor, and keeps running', async () => {
    const { port, packets, receiver } = await listen({ receivePath });
    await sendFrom('127.0.0.3', port, [
      Buffer.from([1, 0, 0]),
      Buffer.from([1, 4, 0, 1, 1]), // keepalive
      buildTzsp(arpRequest, { encapsulation: 1, packetId: 10 }),
      buildTzsp(arpRequest, { encapsulation: 1, packetId: 11 }),
      buildTzsp(arpRequest, { encapsulation: 1, packetId: 15 }), // 12, 13, 14 lost upstream
      Buffer.from([1, 0, 0, 1, 40, 200]),
      buildTzsp(arpRequest, { encapsulation: 1, packetId: 16 }),
    ]);
    await until(() => receiver.totals().datagrams === 7);
    expect(packets).toHaveLength(4);
    expect(receiver.totals()).toMatchObject({ datagrams: 7, packets: 4, malformed: 2, control: 1, denied: 0 });
    expect(receiver.sensorStats()).toEqual([
      expect.objectContaining({
        id: '127.0.0.3',
        packets: 4,
        malformed: 2,
        control: 1,
        gaps: 3,
        lastMalformed: expect.stringContaining('runs past'),
      }),
    ]);
  });

  it('drops senders outside the allow-list', async () => {
    const { port, packets, receiver } = await listen({ receivePath, allow: ['127.0.0.4', '10.0.0.0/8'] });
    await sendFrom('127.0.0.5', port, [snifferLayout(arpRequest)]);
    await sendFrom('127.0.0.4', port, [snifferLayout(arpRequest)]);
    await until(() => receiver.totals().datagrams === 2);
    expect(packets.map((p) => p.address)).toEqual(['127.0.0.4']);
    expect(receiver.totals().denied).toBe(1);
  });

  it('binds IPv6 and reports a large receive buffer', async () => {
    const { port, packets, receiver } = await listen({ receivePath, bind: '::1' });
    await sendFrom('::1', port, [snifferLayout(arpRequest)], '::1');
    await until(() => packets.length === 1);
    expect(packets[0]!.sensor).toBe('::1');
    expect(receiver.receiveBufferBytes).toBeGreaterThan(1024 * 1024);
  });

  it('on "::" receives IPv4 senders too, named by their plain IPv4 address', async () => {
    const { port, packets } = await listen({ receivePath, bind: '::' });
    await sendFrom('127.0.0.6', port, [snifferLayout(arpRequest)]);
    await sendFrom('::1', port, [snifferLayout(arpRequest)], '::1');
    await until(() => packets.length === 2);
    expect(packets.map((p) => p.sensor).sort()).toEqual(['127.0.0.6', '::1']);
  });

  it('refuses a port already in use with an error, not a crash', async () => {
    const { port } = await listen({ receivePath });
    const second = new TzspReceiver({ port, bind: '127.0.0.1', receivePath }, () => undefined);
    await expect(second.start()).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('lanyard tzsp send (the sender library) against the receiver', () => {
  it('parses HOST[:PORT] in all its spellings', () => {
    expect(parseTarget('10.0.0.1')).toEqual({ host: '10.0.0.1', port: 37008 });
    expect(parseTarget('10.0.0.1:9000')).toEqual({ host: '10.0.0.1', port: 9000 });
    expect(parseTarget('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(parseTarget('::1')).toEqual({ host: '::1', port: 37008 });
    expect(parseTarget('localhost')).toEqual({ host: 'localhost', port: 37008 });
    expect(() => parseTarget('h:99999')).toThrow(/not a UDP port/);
  });

  it('replays a pcap as MikroTik-layout TZSP and a pcapng with mixed link types, at a rate', async () => {
    const received: Buffer[] = [];
    const { port, packets } = await listen();
    const pcap = path.join(dir, 'eth.pcap');
    writeFileSync(pcap, pcapFile([arpRequest, ethernetDns], 1));
    // Peek at the raw datagrams: Ethernet must be exactly 01 00 00 01 01 + frame.
    const spy = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => spy.bind(0, '127.0.0.1', resolve));
    spy.on('message', (m) => received.push(m));
    await sendCapture({ file: pcap, host: '127.0.0.1', port: spy.address().port });
    await until(() => received.length === 2);
    spy.close();
    expect(received[0]!.equals(Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest]))).toBe(true);

    const pcapng = path.join(dir, 'mixed.pcapng');
    const session = new PcapngSession();
    const out = new FileOutput({ path: pcapng });
    session.attach(out);
    session.write({ sensor: 'a', linktype: 1, encapsulation: 1, frame: arpRequest, timestampNs: 1n });
    session.write({ sensor: 'a', linktype: 127, encapsulation: 126, frame: radiotapProbe, timestampNs: 2n });
    session.write({ sensor: 'a', linktype: 113, encapsulation: 0, frame: rawIcmp, timestampNs: 3n }); // Linux cooked: no TZSP encapsulation
    await out.close();
    const started = performance.now();
    const progress = await sendCapture({ file: pcapng, host: 'localhost', port, rate: 20 });
    expect(performance.now() - started).toBeGreaterThan(50); // 2 packets at 20/s: the second waits 50 ms
    expect(progress).toMatchObject({ sent: 2, skipped: 1, skippedLinktypes: [113] });
    await until(() => packets.length === 2);
    expect(packets.map((p) => p.linktype)).toEqual([1, 127]);
    expect(packets[1]!.tzsp.frame.equals(radiotapProbe)).toBe(true);
  });

  it('--loop replays the file until stopped', async () => {
    const { port, packets } = await listen();
    const pcap = path.join(dir, 'loop.pcap');
    writeFileSync(pcap, pcapFile([arpRequest, ethernetDns, rawIcmp], 1));
    const stop = new AbortController();
    const sending = sendCapture({ file: pcap, host: '127.0.0.1', port, loop: true, rate: 2000, signal: stop.signal });
    await until(() => packets.length >= 30);
    stop.abort();
    const progress = await sending;
    expect(progress.sent).toBeGreaterThanOrEqual(30);
    await new Promise((r) => setTimeout(r, 100));
    expect(packets.slice(0, 6).map((p) => p.tzsp.frame.length)).toEqual(
      [arpRequest, ethernetDns, rawIcmp, arpRequest, ethernetDns, rawIcmp].map((f) => f.length),
    );
  });
});
