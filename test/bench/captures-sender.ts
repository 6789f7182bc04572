// The bench's sensor: sends `rate` TZSP datagrams a second (120-byte Ethernet frames, MikroTik layout) for
// `seconds`, paced in small bursts, from its own process; prints {"sent":N,"seconds":S} when done.
import dgram from 'node:dgram';

const [port, rate, seconds] = process.argv.slice(2).map(Number) as [number, number, number];
const frame = Buffer.alloc(120, 0xab);
frame.fill(0xff, 0, 6); // broadcast destination, then a locally administered source
Buffer.from('020000000001', 'hex').copy(frame, 6);
frame.writeUInt16BE(0x88b5, 12); // local experimental EtherType: payload is just a counter
const datagram = Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), frame]);

const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
socket.on('error', () => undefined);
let sent = 0;
const total = Math.round(rate * seconds);
const started = performance.now();

function burst(): void {
  const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
  while (sent < due) {
    datagram.writeUInt32BE(sent, 5 + 14); // a sequence number inside the frame
    socket.send(datagram, port, '127.0.0.1');
    sent++;
  }
  if (sent < total) setImmediate(burst);
  else setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ sent, seconds: (performance.now() - started) / 1000 })}\n`);
    socket.close();
  }, 200);
}
burst();
