// The floor for a Node receiver: a socket (the same 32 MB receive buffer Lanyard asks for) that does nothing per
// datagram but count it. Whatever Lanyard costs above this is its own work; this is the receive path's share.
// `dgram` (default): Node's own, one libuv read, one Buffer and one JS callback per datagram. `batch`: Lanyard's
// recvmmsg addon (main/captures/udp-receive.ts), up to 64 datagrams per system call and per JS call.
// Prints the count on SIGINT.
import { openUdpReceive } from '../../main/captures/udp-receive.ts';

const port = Number(process.argv[2]);
const path = process.argv[3] === 'batch' ? 'batch' : 'dgram';
let received = 0;
const socket = await openUdpReceive({ bind: '127.0.0.1', port, receiveBufferBytes: 32 * 1024 * 1024, path }, () => {
  received++;
});
process.stderr.write('listening\n');
const keepAlive = setInterval(() => undefined, 60_000); // the socket is unref'd, as Lanyard's are
process.once('SIGINT', () => {
  process.stdout.write(`${JSON.stringify({ packets: received })}\n`);
  clearInterval(keepAlive);
  void socket.close();
});
