// Run by udp-receive.test.ts in a child process with --expose-gc: 200 batch sockets opened while a sender floods
// them, each closed from inside its own batch callback, from a timer, or never (dropped for the GC to finalize);
// prints received datagrams, open sockets and RSS before and after as JSON.
import dgram from 'node:dgram';
import { readdirSync, readlinkSync } from 'node:fs';
import { openUdpReceive, type UdpReceiveSocket } from '../../../main/captures/udp-receive.ts';

const gc = (globalThis as { gc?: () => void }).gc!;
/** Open sockets past stdio (which execFile makes sockets too): each batch socket is one. */
const fds = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return Number(fd) > 2 && readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false; // the listing's own descriptor, gone already
    }
  }).length;
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
};

const sender = dgram.createSocket('udp4');
const payload = Buffer.alloc(1200, 7);
let received = 0;

// One warm-up cycle so the addon, the sender and V8's pools are in the "before" figures.
const warm = await openUdpReceive({ bind: '127.0.0.1', port: 0, receiveBufferBytes: 1 << 20, path: 'batch' }, () => {});
await warm.close();
await settle();
const fdsBefore = fds();
const rssBefore = process.memoryUsage().rss;

let cycles = 0;
for (; cycles < 200; cycles++) {
  let socket: UdpReceiveSocket | null = null;
  const mode = cycles % 3;
  socket = await openUdpReceive({ bind: '127.0.0.1', port: 0, receiveBufferBytes: 1 << 20, path: 'batch' }, () => {
    received++;
    if (mode === 0 && socket) void socket.close(); // closed from inside its own batch
  });
  const port = socket.address.port;
  for (let i = 0; i < 50; i++) sender.send(payload, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 2));
  if (mode === 1) await socket.close();
  if (mode === 0) await socket.close(); // twice is harmless
  socket = null; // mode 2: never closed, the finalizer closes it
  if (cycles % 20 === 0) await settle();
}
sender.close();
// The last dropped sockets wait for a full collection; give the GC a few tries before counting.
for (let i = 0; i < 20 && fds() > fdsBefore; i++) {
  await settle();
  await new Promise((r) => setTimeout(r, 20));
}
process.stdout.write(
  `${JSON.stringify({ cycles, received, fdsBefore, fdsAfter: fds(), rssGrowthMb: Math.round(((process.memoryUsage().rss - rssBefore) / 1e6) * 10) / 10 })}\n`,
);
