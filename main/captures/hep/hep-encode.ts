// HEPv3 as HOMER / heplify-server expect it (for --hep-forward and for tests): the generic chunks of the
// carried packet's addresses, ports and time, then the payload.
import net from 'node:net';

export interface HepEncodeInput {
  protocol: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  timestampUs: number;
  payloadType: number;
  captureId: number;
  authKey?: string | null;
  correlationId?: string | null;
  nodeName?: string | null;
  payload: Buffer;
}

/** Room for every chunk but the payload: 14 chunk headers, IPv6 addresses, three strings of at most 255 bytes. */
const headerRoom = 1024;

/** The payload must fit the 16-bit length with its chunks; a larger one is refused (returns null). */
export function encodeHep3(m: HepEncodeInput): Buffer | null {
  const v6 = net.isIPv6(m.src);
  const b = Buffer.allocUnsafe(headerRoom + m.payload.length);
  let at = 6;
  /** A generic chunk's header; the value is written at the returned offset. */
  const chunk = (type: number, length: number): number => {
    b.writeUInt16BE(0, at);
    b.writeUInt16BE(type, at + 2);
    b.writeUInt16BE(6 + length, at + 4);
    const value = at + 6;
    at = value + length;
    return value;
  };
  b[chunk(1, 1)] = v6 ? 10 : 2;
  b[chunk(2, 1)] = m.protocol;
  writeAddress(b, chunk(v6 ? 5 : 3, v6 ? 16 : 4), m.src, v6);
  writeAddress(b, chunk(v6 ? 6 : 4, v6 ? 16 : 4), m.dst, v6);
  b.writeUInt16BE(m.sport, chunk(7, 2));
  b.writeUInt16BE(m.dport, chunk(8, 2));
  b.writeUInt32BE(Math.floor(m.timestampUs / 1_000_000), chunk(9, 4));
  b.writeUInt32BE(m.timestampUs % 1_000_000, chunk(10, 4));
  b[chunk(11, 1)] = m.payloadType;
  b.writeUInt32BE(m.captureId >>> 0, chunk(12, 4));
  for (const [type, value] of [
    [14, m.authKey],
    [17, m.correlationId],
    [19, m.nodeName],
  ] as const) {
    if (!value) continue;
    const bytes = Buffer.from(value.slice(0, 255), 'latin1');
    bytes.copy(b, chunk(type, bytes.length));
  }
  if (at + 6 + m.payload.length > 0xffff) return null;
  m.payload.copy(b, chunk(15, m.payload.length));
  b.write('HEP3', 0, 'latin1');
  b.writeUInt16BE(at, 4);
  return b.subarray(0, at);
}

function writeAddress(b: Buffer, at: number, address: string, v6: boolean): void {
  if (!v6) {
    const parts = address.split('.');
    for (let i = 0; i < 4; i++) b[at + i] = Number(parts[i]) & 0xff;
    return;
  }
  const words = expandIpv6(address);
  for (let i = 0; i < 8; i++) b.writeUInt16BE(words[i]!, at + i * 2);
}

/** An IPv6 literal's eight words ("::" expanded, an embedded IPv4 tail read as two words). */
export function expandIpv6(address: string): number[] {
  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const words = (s: string): number[] =>
    s === ''
      ? []
      : s.split(':').flatMap((w) => {
          if (!w.includes('.')) return [Number.parseInt(w, 16) || 0];
          const [a = 0, c = 0, d = 0, e = 0] = w.split('.').map(Number);
          return [(a << 8) | c, (d << 8) | e];
        });
  const left = words(head);
  const right = tail === undefined ? [] : words(tail);
  return [...left, ...new Array(Math.max(0, 8 - left.length - right.length)).fill(0), ...right].slice(0, 8);
}
