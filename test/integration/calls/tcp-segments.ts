// One SIP-over-TCP connection as segments, for the reordering tests (capture files and live TZSP): both
// directions cut into segments, then shuffled, repeated or lost as a network would, and framed as Ethernet.
import { FIN, SYN } from '../../../main/calls/tcp-sequencer.ts';
import { ethernet, ipv4 } from '../captures/frames.ts';

export const ACK = 0x10;
export const PSH = 0x08;

export interface Segment {
  /** Client → server (true) or back. */
  out: boolean;
  seq: number;
  flags: number;
  data: Buffer;
}

export const client = { address: '192.0.2.10', port: 40123 };
export const server = { address: '192.0.2.20', port: 5060 };

function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sport, 0);
  h.writeUInt16BE(dport, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h.writeUInt32BE(ack >>> 0, 8);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  return Buffer.concat([h, payload]);
}

/** The segment as an Ethernet frame between `client` and `server`. */
export function segmentFrame(s: Segment): Buffer {
  const [from, to] = s.out ? [client, server] : [server, client];
  return ethernet(0x0800, ipv4(6, from.address, to.address, tcp(from.port, to.port, s.seq, 0, s.flags, s.data)));
}

/** Both directions of one connection: handshake, each side's messages cut into segments of `size`, FINs. */
export function conversation(requests: string[], responses: string[], size: number, isn: { out: number; back: number }): Segment[] {
  const segments: Segment[] = [
    { out: true, seq: isn.out, flags: SYN, data: Buffer.alloc(0) },
    { out: false, seq: isn.back, flags: SYN | ACK, data: Buffer.alloc(0) },
  ];
  const next = { out: (isn.out + 1) >>> 0, back: (isn.back + 1) >>> 0 };
  requests.forEach((text, i) => {
    for (const [out, message] of [
      [true, text],
      [false, responses[i]!],
    ] as const) {
      const bytes = Buffer.from(message, 'latin1');
      for (let at = 0; at < bytes.length; at += size) {
        const data = bytes.subarray(at, Math.min(bytes.length, at + size));
        const side = out ? 'out' : 'back';
        segments.push({ out, seq: next[side], flags: ACK | PSH, data });
        next[side] = (next[side] + data.length) >>> 0;
      }
    }
  });
  segments.push({ out: true, seq: next.out, flags: FIN | ACK, data: Buffer.alloc(0) });
  segments.push({ out: false, seq: next.back, flags: FIN | ACK, data: Buffer.alloc(0) });
  return segments;
}

/** A deterministic shuffle within windows of `window` segments (a network reorders locally). */
export function shuffledWithin<T>(items: T[], window: number, seed: number): T[] {
  const out = items.slice();
  let x = seed;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    const j = Math.min(out.length - 1, i + (x % window));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
