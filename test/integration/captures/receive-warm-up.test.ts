// The receiver's warm-up (receive-warm-up.ts): made-up datagrams through a throwaway listener over real loopback UDP,
// on each receive path. It takes what it sends, leaves no socket or file behind, keeps to its deadline, and the
// capture that follows counts nothing of it. Whether it helps is the soak bench's to show (test/bench/soak.bench.ts).
import dgram from 'node:dgram';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCapturesService } from '../../../main/captures/service.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { warmReceivePath, warmUpDatagrams } from '../../../main/captures/receive-warm-up.ts';
import { forceReceivePath, receivePaths } from '../../support/receive-paths.ts';

const openFds = () => readdirSync('/proc/self/fd').length;

describe.each(receivePaths)('the receive warm-up (UDP: %s)', (receivePath) => {
  forceReceivePath(receivePath);

  it.skipIf(process.platform !== 'linux')('takes every datagram it sends, and leaves no socket open', { timeout: 30_000 }, async () => {
    await warmReceivePath({ count: 100 }); // the first run loads what stays loaded (the addon, dgram's handles)
    const before = openFds();
    // A generous deadline: this asserts what is taken, not how fast.
    expect(await warmReceivePath({ deadlineMs: 20_000 })).toBe(warmUpDatagrams);
    expect(openFds()).toBe(before);
  });

  it('stops at its deadline, whatever it has sent by then', { timeout: 30_000 }, async () => {
    const started = performance.now();
    const taken = await warmReceivePath({ count: 10_000_000, deadlineMs: 200 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(10_000_000);
  });

  it('a capture started after it (in the receiver process) counts none of its datagrams, sensors or interfaces', {
    timeout: 60_000,
  }, async () => {
    const captures = createCapturesService({ env: process.env });
    const started = await captures.start({ port: 0, bind: '127.0.0.1', allow: [], tzsp: true });
    expect(started.receivePath).toBe(receivePath);
    expect(started.totals).toMatchObject({ datagrams: 0, packets: 0, malformed: 0 });
    expect(started.sensors).toEqual([]);
    expect(started.interfaces).toEqual([]);
    const socket = dgram.createSocket('udp4');
    const datagram = buildTzsp(Buffer.alloc(60, 7), { encapsulation: 1, deviceName: 'after-warm-up' });
    await new Promise<void>((r) => socket.send(datagram, started.port!, '127.0.0.1', () => r()));
    socket.close();
    await expect.poll(async () => (await captures.status()).totals.packets, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const status = await captures.status();
    expect(status.totals).toMatchObject({ datagrams: 1, packets: 1 });
    expect(status.sensors.map((s) => s.name)).toEqual(['after-warm-up']);
    expect(status.interfaces).toHaveLength(1);
    expect((await captures.recent(10)).map((p) => p.sensor)).toEqual([status.sensors[0]!.id]);
    await captures.stop();
  });
});
