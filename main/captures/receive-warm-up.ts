// Before the receiver binds its socket, made-up datagrams go through a throwaway listener's whole path, socket
// included: receive batch, TZSP parse, sensor table, pcapng packet block, an output's copy, the recent ring. Cold, V8
// has compiled none of it and the heap has not grown: the receiver then needs ~45 % of a core for 50k datagrams a
// second against ~17 % warm, and on a busy machine (a capture started beside terminals and builds) it waits for a
// core while the socket buffer overflows — the first seconds of a capture were lost.
import dgram from 'node:dgram';
import { Writable } from 'node:stream';
import { listenSettings } from './contract.ts';
import { Listener } from './listener.ts';
import { StreamOutput } from './stream-output.ts';
import { buildTzsp } from './tzsp.ts';

/** Enough for V8 to optimise the path (measured in the soak: with 10,000, the load's start still lost packets in 2
 *  of 4 short runs). */
export const warmUpDatagrams = 20_000;
/** Sent before waiting for the listener to take them: well under what a socket buffer holds. */
const burst = 500;
/** A warm-up that takes longer than this (a loaded machine, a loopback that drops) stops where it is. */
const defaultDeadlineMs = 600;
/** Sender addresses (Linux routes all of 127/8 to loopback; elsewhere only 127.0.0.1 is there). */
const senders = process.platform === 'linux' ? 8 : 1;

/** Ethernet frames carrying IPv4/UDP, of a few sizes, as sensors of each kind send them: MikroTik (no tags),
 *  named (tag 80), named with their own time stamps. */
function samples(): Buffer[] {
  const sizes = [64, 214, 590, 1514];
  return Array.from({ length: 12 }, (_, i) => {
    const frame = Buffer.alloc(sizes[i % sizes.length]!, i);
    frame.writeUInt16BE(0x0800, 12);
    frame.writeUInt8(0x45, 14);
    frame.writeUInt16BE(frame.length - 14, 16);
    frame.writeUInt8(17, 23);
    const kind = i % 3;
    return buildTzsp(frame, {
      encapsulation: 1,
      ...(kind > 0 ? { deviceName: `warm-up-${i}` } : {}),
      ...(kind === 2 ? { timestamp: { seconds: 1_800_000_000 + i, nanoseconds: i * 1000 } } : {}),
    });
  });
}

/** A sender socket from 127.0.0.(1 + index), connected to the listener (a connected send skips the per-datagram
 *  address lookup). */
async function openSender(index: number, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind({ address: `127.0.0.${1 + index}`, port: 0 }, () => socket.connect(port, '127.0.0.1', () => resolve()));
  });
  socket.on('error', () => undefined); // a send that fails only leaves the warm-up to its deadline
  return socket;
}

export interface WarmUpOptions {
  count?: number;
  deadlineMs?: number;
}

/** Send made-up datagrams over loopback through a listener of its own, with an output that discards; resolves with
 *  how many it took. */
export async function warmReceivePath({ count = warmUpDatagrams, deadlineMs = defaultDeadlineMs }: WarmUpOptions = {}): Promise<number> {
  const listener = await Listener.start(listenSettings.parse({ port: 0, bind: '127.0.0.1' }));
  const sockets: dgram.Socket[] = [];
  try {
    listener.addOutput('file', new StreamOutput(new Writable({ write: (_chunk, _encoding, done) => done() }), { label: 'warm-up' }));
    const port = listener.receiver.address!.port;
    // Every address that can be bound (a loopback set up with 127.0.0.1 alone still warms up, from one).
    for (let i = 0; i < senders; i++) {
      const socket = await openSender(i, port).catch((error: unknown) => (i === 0 ? Promise.reject(error) : null));
      if (socket) sockets.push(socket);
    }
    const datagrams = samples();
    const deadline = performance.now() + deadlineMs;
    let sent = 0;
    while (sent < count && performance.now() < deadline) {
      const end = Math.min(count, sent + burst);
      for (; sent < end; sent++) sockets[sent % sockets.length]!.send(datagrams[sent % datagrams.length]!);
      // Until the listener has taken the burst (a datagram lost on the way is no reason to wait longer).
      while (listener.lastSeq < sent && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // The live view's status pushes and packet lists (once a second each, whatever the load).
    for (let i = 0; i < 10; i++) {
      listener.status();
      listener.recent(200);
    }
    return listener.lastSeq;
  } finally {
    for (const socket of sockets) socket.close();
    await listener.stop();
  }
}
