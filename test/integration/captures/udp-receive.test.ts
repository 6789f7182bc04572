// The two UDP receive paths (udp-receive.ts) judged alike on loopback: every datagram of every size UDP allows
// (0 … 65,507 bytes) back exactly once with its IPv4 or IPv6 sender, a property over sizes and contents, errors as
// dgram gives them, and the batch addon opened and closed 200 times under traffic without a crash or a leak.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { checks } from '../../../main/captures/checks.ts';
import { openUdpReceive, type UdpReceivePath, type UdpReceiveSocket } from '../../../main/captures/udp-receive.ts';
import { fuzzRuns, fuzzSeed } from '../../support/fuzz.ts';
import { receivePaths } from '../../support/receive-paths.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const open: UdpReceiveSocket[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

interface Seen {
  digest: string;
  length: number;
  address: string;
}

async function receiver(receivePath: UdpReceivePath, bind = '127.0.0.1') {
  const seen: Seen[] = [];
  const socket = await openUdpReceive({ bind, port: 0, receiveBufferBytes: 4 << 20, path: receivePath }, (datagram, address) => {
    seen.push({ digest: digest(datagram), length: datagram.length, address });
  });
  open.push(socket);
  return { socket, seen };
}

const digest = (b: Buffer) => createHash('sha1').update(b).digest('hex');

/** Bytes that differ per datagram even at equal sizes (a counter in a cheap generator). */
function content(index: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  let x = (index + 1) * 2654435761;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

async function sender(source: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket(source.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, source, resolve));
  return socket;
}

const send = (socket: dgram.Socket, datagram: Buffer, port: number, target: string) =>
  new Promise<void>((resolve, reject) => socket.send(datagram, port, target, (e) => (e ? reject(e) : resolve())));

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each(receivePaths)('UDP receive (%s)', (receivePath) => {
  it('hands back every size from 0 to 65,507 bytes exactly once, from IPv4 and IPv6 senders, on a dual-stack socket', async () => {
    const { socket, seen } = await receiver(receivePath, '::');
    expect(socket.path).toBe(receivePath);
    const sizes = [0, 1, 2, 3, 4, 7, 8, 20, 64, 100, 512, 1472, 1500, 4096, 8192, 9000, 16_384, 32_768, 65_000, 65_506, 65_507];
    const v4 = await sender('127.0.0.1');
    const v6 = await sender('::1');
    const expected: Seen[] = [];
    let index = 0;
    for (const [from, target, address] of [
      [v4, '127.0.0.1', '127.0.0.1'],
      [v6, '::1', '::1'],
    ] as const) {
      for (const size of sizes) {
        const datagram = content(index++, size);
        expected.push({ digest: digest(datagram), length: size, address });
        await send(from, datagram, socket.address.port, target);
        // A few big datagrams fill a 4 MB receive buffer: keep pace with the receiver.
        await until(() => seen.length === expected.length, `datagram ${index}`);
      }
    }
    v4.close();
    v6.close();
    await new Promise((r) => setTimeout(r, 50)); // nothing twice
    expect(seen.map((s) => (s.address.startsWith('::ffff:') ? { ...s, address: s.address.slice(7) } : s))).toEqual(expected);
    expect(socket.truncated).toBe(0);
  });

  it('property: any datagram sizes and contents, sent in a burst, arrive whole, once each, in order', async () => {
    const { socket, seen } = await receiver(receivePath);
    const from = await sender('127.0.0.1');
    let sent = 0;
    const datagram = fc.oneof(
      { weight: 6, arbitrary: fc.uint8Array({ maxLength: 300 }) },
      { weight: 3, arbitrary: fc.uint8Array({ minLength: 300, maxLength: 9000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 9000, max: 65_507 }).map((n) => content(n, n)) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(datagram, { minLength: 1, maxLength: 100 }), async (burst) => {
        const before = seen.length;
        const expected = burst.map((b) => ({ digest: digest(Buffer.from(b)), length: b.length, address: '127.0.0.1' }));
        // Bursts beyond the kernel's buffer would be dropped by the kernel, not by us: at most ~1 MB in flight.
        let inFlight = 0;
        for (const b of burst) {
          await send(from, Buffer.from(b), socket.address.port, '127.0.0.1');
          sent++;
          inFlight += b.length + 512;
          if (inFlight > 1 << 20) {
            await until(() => seen.length === sent, 'a burst to drain');
            inFlight = 0;
          }
        }
        await until(() => seen.length === sent, 'the burst');
        expect(seen.slice(before)).toEqual(expected);
      }),
      { seed: fuzzSeed, numRuns: Math.max(20, Math.round(fuzzRuns / 10)) },
    );
    from.close();
  });

  it('refuses a port in use with EADDRINUSE and a bad address with a clear error', async () => {
    const { socket } = await receiver(receivePath);
    await expect(
      openUdpReceive({ bind: '127.0.0.1', port: socket.address.port, receiveBufferBytes: 0, path: receivePath }, () => {}),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await expect(openUdpReceive({ bind: 'localhost', port: 0, receiveBufferBytes: 0, path: receivePath }, () => {})).rejects.toThrow(
      /--bind needs an IPv4 or IPv6 address/,
    );
  });

  it('frees its port on close: the same port binds again at once', async () => {
    const { socket } = await receiver(receivePath);
    const port = socket.address.port;
    await socket.close();
    open.splice(open.indexOf(socket), 1);
    const again = await openUdpReceive({ bind: '127.0.0.1', port, receiveBufferBytes: 0, path: receivePath }, () => {});
    open.push(again);
    expect(again.address.port).toBe(port);
  });
});

describe.skipIf(!receivePaths.includes('batch'))('the batch addon under churn', () => {
  it('opens and closes 200 sockets while datagrams pour in (some dropped unclosed, left to the GC): no crash, no fd or memory leak', async () => {
    // In a child: its own heap to measure and a crash that names itself (a signal) instead of taking vitest down.
    const script = path.join(here, 'udp-receive-churn.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', script], { timeout: 120_000 });
    const result = JSON.parse(stdout) as { received: number; fdsBefore: number; fdsAfter: number; rssGrowthMb: number; cycles: number };
    expect(result.cycles).toBe(200);
    expect(result.received).toBeGreaterThan(0);
    expect(result.fdsAfter).toBe(result.fdsBefore);
    // 200 sockets × 4 MiB of batch buffer would be 800 MiB if any were kept.
    expect(result.rssGrowthMb).toBeLessThan(60);
  });
});

describe('Doctor: the UDP receive path', () => {
  const check = checks.find((c) => c.id === 'udp-receive')!;

  it('says batch when the addon loads, and dgram (a warning, with the packages to install) when forced or missing', async () => {
    const forced = await check.run({ LANYARD_UDP_RECEIVE: 'dgram' });
    expect(forced).toMatchObject({ status: 'warn', detail: expect.stringContaining('LANYARD_UDP_RECEIVE=dgram') });
    expect(forced.hint?.debian).toContain('g++ make python3');
    const auto = await check.run({});
    if (receivePaths.includes('batch')) expect(auto).toMatchObject({ status: 'ok', detail: expect.stringContaining('recvmmsg') });
    else expect(auto).toMatchObject({ status: 'warn', detail: expect.stringContaining('not built') });
  });
});
