// Hand-written SIP and SDP for the unit tests (the integration tests use SIPp's own).
import type { CapturedPacket } from '../../../main/calls/packet.ts';

export const sdp = (port: number, extra = '', address = '10.0.0.1') =>
  `v=0\r\no=- 1 1 IN IP4 ${address}\r\ns=-\r\nc=IN IP4 ${address}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n${extra}`;

export function request(
  method: string,
  callId: string,
  options: { cseq?: number; body?: string; toTag?: string; fromTag?: string; extra?: string; compact?: boolean } = {},
): string {
  const body = options.body ?? '';
  const h = options.compact
    ? [
        `v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${method}-${options.cseq ?? 1}`,
        `f: <sip:alice@a.example>;tag=${options.fromTag ?? 'a1'}`,
        `t: <sip:bob@b.example>${options.toTag ? `;tag=${options.toTag}` : ''}`,
        `i: ${callId}`,
        `l: ${Buffer.byteLength(body)}`,
      ]
    : [
        `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${method}-${options.cseq ?? 1}`,
        `From: "Alice" <sip:alice@a.example>;tag=${options.fromTag ?? 'a1'}`,
        `To: <sip:bob@b.example>${options.toTag ? `;tag=${options.toTag}` : ''}`,
        `Call-ID: ${callId}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
      ];
  if (body) h.push(options.compact ? 'c: application/sdp' : 'Content-Type: application/sdp');
  if (options.extra) h.push(options.extra);
  return `${method} sip:bob@b.example SIP/2.0\r\n${h.join('\r\n')}\r\nCSeq: ${options.cseq ?? 1} ${method}\r\n\r\n${body}`;
}

export function response(
  code: number,
  reason: string,
  method: string,
  callId: string,
  options: { cseq?: number; body?: string; fromTag?: string } = {},
): string {
  const body = options.body ?? '';
  return [
    `SIP/2.0 ${code} ${reason}`,
    `Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-${method}-${options.cseq ?? 1}`,
    `From: "Alice" <sip:alice@a.example>;tag=${options.fromTag ?? 'a1'}`,
    'To: <sip:bob@b.example>;tag=b1',
    `Call-ID: ${callId}`,
    `CSeq: ${options.cseq ?? 1} ${method}`,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

let clock = 1_700_000_000_000_000;
export function packet(text: string | Uint8Array, options: Partial<CapturedPacket> = {}): CapturedPacket {
  clock += 1000;
  return {
    ts: clock,
    src: '10.0.0.1',
    dst: '10.0.0.2',
    sport: 5060,
    dport: 5060,
    transport: 'udp',
    payload: typeof text === 'string' ? Buffer.from(text, 'latin1') : text,
    source: 'test',
    ...options,
  };
}

export function rtp(
  seq: number,
  timestamp: number,
  options: { pt?: number; ssrc?: number; marker?: boolean; payload?: number[] } = {},
): Buffer {
  const b = Buffer.alloc(12 + (options.payload?.length ?? 160));
  b[0] = 0x80;
  b[1] = (options.pt ?? 0) | (options.marker ? 0x80 : 0);
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(options.ssrc ?? 0x1234, 8);
  if (options.payload) Buffer.from(options.payload).copy(b, 12);
  return b;
}

/** An RFC 6455 frame carrying `data` (masked as a client sends it when `mask` is given). */
export function wsFrame(data: Buffer, mask?: Buffer): Buffer {
  const length = data.length;
  const head = length < 126 ? Buffer.from([0x81, length]) : Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  if (!mask) return Buffer.concat([head, data]);
  head[1]! |= 0x80;
  const masked = Buffer.from(data);
  for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i & 3]!;
  return Buffer.concat([head, mask, masked]);
}
