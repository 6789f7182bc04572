// The live Calls bench's sensor: `calls` concurrent calls over TZSP (MikroTik layout), each set up with
// INVITE/200 (SDP, PCMU)/ACK, then two RTP streams at 50 packets/s each (20 ms PCMU) for `seconds`, then
// BYE/200. Datagrams are built once per stream and updated in place (sequence, timestamp); sends are paced
// in small bursts. Prints {"sent","rtp","sip","seconds"} when done.
import dgram from 'node:dgram';
import { ethernetHeader } from '../../main/captures/tzsp.ts';
import { ethernet, ipv4, udp } from '../integration/captures/frames.ts';

const [port, calls, seconds] = process.argv.slice(2).map(Number) as [number, number, number];
const socket = dgram.createSocket({ type: 'udp4', sendBufferSize: 8 * 1024 * 1024 });
socket.on('error', () => undefined);
const tzsp = (frame: Buffer) => Buffer.concat([ethernetHeader, frame]);
let sip = 0;
let rtp = 0;

interface Call {
  caller: string;
  callee: string;
  callerMedia: number;
  calleeMedia: number;
  id: string;
}

const list: Call[] = Array.from({ length: calls }, (_, i) => ({
  caller: `10.1.${(i >> 8) & 255}.${i & 255 || 1}`,
  callee: '10.2.0.1',
  callerMedia: 20000 + i * 2,
  calleeMedia: 40000 + i * 2,
  id: `live-${i}@lanyard`,
}));

function sipDatagram(c: Call, i: number, first: string, cseq: string, fromCaller: boolean, sdpAddress?: string, sdpPort?: number): Buffer {
  const body = sdpAddress
    ? `v=0\r\no=- ${i} 1 IN IP4 ${sdpAddress}\r\ns=-\r\nc=IN IP4 ${sdpAddress}\r\nt=0 0\r\nm=audio ${sdpPort} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n`
    : '';
  const text = `${first}\r\nVia: SIP/2.0/UDP ${c.caller}:5060;branch=z9hG4bK${i}${cseq.replace(' ', '')}\r\nFrom: <sip:${1000 + i}@lanyard.test>;tag=a${i}\r\nTo: <sip:5000@lanyard.test>${first.startsWith('INVITE') ? '' : `;tag=b${i}`}\r\nCall-ID: ${c.id}\r\nCSeq: ${cseq}\r\n${body ? 'Content-Type: application/sdp\r\n' : ''}Content-Length: ${body.length}\r\n\r\n${body}`;
  const [src, dst] = fromCaller ? [c.caller, c.callee] : [c.callee, c.caller];
  return tzsp(ethernet(0x0800, ipv4(17, src, dst, udp(5060, 5060, Buffer.from(text, 'latin1')))));
}

async function sendPaced(datagrams: Buffer[], perSecond: number): Promise<void> {
  const started = performance.now();
  for (let n = 0; n < datagrams.length; ) {
    const due = Math.min(datagrams.length, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
    while (n < due) {
      socket.send(datagrams[n++]!, port, '127.0.0.1');
      sip++;
    }
    await new Promise((r) => setImmediate(r));
  }
}

const started = performance.now();
await sendPaced(
  list.flatMap((c, i) => [
    sipDatagram(c, i, 'INVITE sip:5000@lanyard.test SIP/2.0', '1 INVITE', true, c.caller, c.callerMedia),
    sipDatagram(c, i, 'SIP/2.0 200 OK', '1 INVITE', false, c.callee, c.calleeMedia),
    sipDatagram(c, i, 'ACK sip:5000@lanyard.test SIP/2.0', '1 ACK', true),
  ]),
  5000,
);

// Two streams per call, each its own datagram updated in place: 12-byte RTP header + 160 bytes of PCMU.
const streams = list.flatMap((c, i) =>
  [true, false].map((out) => {
    const payload = Buffer.alloc(12 + 160, 0xff);
    payload[0] = 0x80;
    payload[1] = 0;
    payload.writeUInt32BE(out ? i : i + 0x10000000, 8);
    const frame = out
      ? ethernet(0x0800, ipv4(17, c.caller, c.callee, udp(c.callerMedia, c.calleeMedia, payload)))
      : ethernet(0x0800, ipv4(17, c.callee, c.caller, udp(c.calleeMedia, c.callerMedia, payload)));
    const datagram = tzsp(frame);
    return { datagram, rtpAt: datagram.length - payload.length };
  }),
);
const rate = streams.length * 50;
const total = Math.round(rate * seconds);
const rtpStarted = performance.now();
await new Promise<void>((resolve) => {
  const burst = () => {
    const due = Math.min(total, Math.floor(((performance.now() - rtpStarted) / 1000) * rate));
    while (rtp < due) {
      const stream = streams[rtp % streams.length]!;
      const k = Math.floor(rtp / streams.length); // this stream's packet number
      stream.datagram.writeUInt16BE(k & 0xffff, stream.rtpAt + 2);
      stream.datagram.writeUInt32BE((k * 160) >>> 0, stream.rtpAt + 4);
      socket.send(stream.datagram, port, '127.0.0.1');
      rtp++;
    }
    if (rtp < total) setImmediate(burst);
    else resolve();
  };
  burst();
});
const rtpSeconds = (performance.now() - rtpStarted) / 1000;
await sendPaced(
  list.flatMap((c, i) => [
    sipDatagram(c, i, 'BYE sip:5000@lanyard.test SIP/2.0', '2 BYE', true),
    sipDatagram(c, i, 'SIP/2.0 200 OK', '2 BYE', false),
  ]),
  5000,
);
await new Promise((r) => setTimeout(r, 200));
process.stdout.write(`${JSON.stringify({ sent: sip + rtp, rtp, sip, rtpSeconds, seconds: (performance.now() - started) / 1000 })}\n`);
socket.close();
