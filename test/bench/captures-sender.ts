// The bench's sensors: send `rate` TZSP datagrams a second (120-byte Ethernet frames) for `seconds`, paced in
// small bursts, from their own process; print {"sent":N,"seconds":S} when done. With no `sensors` argument, one
// sensor in the MikroTik layout (no tags); with `sensors` N, N sensors in turn, each with a tag-80 name
// (soak-001…) and its own loopback source address (127.0.1.1…), as N devices on a network would be.
import dgram from 'node:dgram';
import { buildTzsp, ethernetHeader } from '../../main/captures/tzsp.ts';

const [port, rate, seconds, sensors = 0] = process.argv.slice(2).map(Number) as [number, number, number, number?];
const frame = Buffer.alloc(120, 0xab);
frame.fill(0xff, 0, 6); // broadcast destination, then a locally administered source
Buffer.from('020000000001', 'hex').copy(frame, 6);
frame.writeUInt16BE(0x88b5, 12); // local experimental EtherType: payload is just a counter

interface Sensor {
  socket: dgram.Socket;
  datagram: Buffer;
  /** Where the frame's payload (the sequence number) starts. */
  payloadAt: number;
}

function sensor(datagram: Buffer, address?: string): Sensor {
  const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
  socket.on('error', () => undefined);
  if (address) socket.bind({ address, port: 0 });
  return { socket, datagram, payloadAt: datagram.length - frame.length + 14 };
}

// 127.0.1.N: any 127/8 address is the loopback interface on Linux.
const fleet =
  sensors > 0
    ? Array.from({ length: sensors }, (_, i) =>
        sensor(
          buildTzsp(frame, { encapsulation: 1, deviceName: `soak-${String(i + 1).padStart(3, '0')}` }),
          `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
        ),
      )
    : [sensor(Buffer.concat([ethernetHeader, frame]))];
let sent = 0;
const total = Math.round(rate * seconds);
const started = performance.now();

function burst(): void {
  const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
  while (sent < due) {
    const { socket, datagram, payloadAt } = fleet[sent % fleet.length]!;
    datagram.writeUInt32BE(sent, payloadAt); // a sequence number inside the frame
    socket.send(datagram, port, '127.0.0.1');
    sent++;
  }
  // A 1 ms timer, not setImmediate: spinning would take a whole core from the host being measured, which real
  // sensors (other machines) do not.
  if (sent < total) setTimeout(burst, 1);
  else
    setTimeout(() => {
      process.stdout.write(`${JSON.stringify({ sent, seconds: (performance.now() - started) / 1000 })}\n`);
      for (const { socket } of fleet) socket.close();
    }, 200);
}
burst();
