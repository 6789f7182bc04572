// The floor for a Node receiver: a bare `dgram` socket (the same 32 MB receive buffer Lanyard asks for) that does
// nothing per datagram but count it. Whatever Lanyard costs above this is its own work; this is Node's share
// (one libuv recvmmsg-less read, one Buffer and one JS callback per datagram). Prints the count on SIGINT.
import dgram from 'node:dgram';

const port = Number(process.argv[2]);
const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 32 * 1024 * 1024 });
socket.on('error', (error) => process.stderr.write(`floor socket: ${error.message}\n`));
let received = 0;
socket.on('message', () => {
  received++;
});
socket.bind(port, '127.0.0.1', () => process.stderr.write('listening\n'));
process.once('SIGINT', () => {
  process.stdout.write(`${JSON.stringify({ packets: received })}\n`);
  socket.close();
});
