// Read pcap and pcapng files (either byte order, µs/ns pcap, every pcapng section and interface)
// for `lanyard tzsp send` and `decap`.
import { readFileSync } from 'node:fs';

export interface FilePacket {
  linktype: number;
  /** Capture time in nanoseconds since the epoch. */
  timestampNs: bigint;
  data: Buffer;
  originalLength: number;
}

export class CaptureFileError extends Error {
  override name = 'CaptureFileError';
}

export function* readCaptureFile(file: string): Generator<FilePacket> {
  yield* readCapture(readFileSync(file));
}

export function* readCapture(bytes: Buffer): Generator<FilePacket> {
  if (bytes.length < 4) throw new CaptureFileError('the file is too short to be a capture');
  const magicLE = bytes.readUInt32LE(0);
  if (magicLE === 0x0a0d0d0a) yield* readPcapng(bytes);
  else yield* readPcap(bytes);
}

function* readPcap(b: Buffer): Generator<FilePacket> {
  if (b.length < 24) throw new CaptureFileError('the pcap header is truncated');
  const magics: Record<number, { le: boolean; ns: boolean }> = {
    0xa1b2c3d4: { le: true, ns: false },
    0xa1b23c4d: { le: true, ns: true },
    0xd4c3b2a1: { le: false, ns: false },
    0x4d3cb2a1: { le: false, ns: true },
  };
  const kind = magics[b.readUInt32LE(0)];
  if (!kind) throw new CaptureFileError('not a pcap or pcapng file (unknown magic number)');
  const r32 = (at: number) => (kind.le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const linktype = r32(20) & 0x0fffffff;
  let at = 24;
  while (at + 16 <= b.length) {
    const seconds = r32(at);
    const fraction = r32(at + 4);
    const captured = r32(at + 8);
    const original = r32(at + 12);
    if (at + 16 + captured > b.length) break; // a truncated last record, as tcpdump leaves when killed
    const timestampNs = BigInt(seconds) * 1_000_000_000n + BigInt(kind.ns ? fraction : fraction * 1000);
    yield { linktype, timestampNs, data: b.subarray(at + 16, at + 16 + captured), originalLength: original };
    at += 16 + captured;
  }
}

interface Interface {
  linktype: number;
  /** Units per second of this interface's timestamps. */
  unitsPerSecond: bigint;
}

function* readPcapng(b: Buffer): Generator<FilePacket> {
  let le = true;
  let interfaces: Interface[] = [];
  let at = 0;
  while (at + 12 <= b.length) {
    let type = le ? b.readUInt32LE(at) : b.readUInt32BE(at);
    if (type === 0x0a0d0d0a) {
      const bom = b.readUInt32LE(at + 8);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureFileError('pcapng section header has a bad byte-order magic');
      type = 0x0a0d0d0a;
      interfaces = [];
    }
    const r32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const r16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const length = r32(at + 4);
    if (length < 12 || length % 4 !== 0 || at + length > b.length) break;
    const body = at + 8;
    const end = at + length - 4;
    if (type === 0x00000001) {
      interfaces.push({ linktype: r16(body), unitsPerSecond: tsresol(b, body + 8, end, r16) });
    } else if (type === 0x00000006 && body + 20 <= end) {
      const iface = interfaces[r32(body)];
      const captured = r32(body + 12);
      if (iface && body + 20 + captured <= end) {
        const units = (BigInt(r32(body + 4)) << 32n) | BigInt(r32(body + 8));
        yield { linktype: iface.linktype, timestampNs: (units * 1_000_000_000n) / iface.unitsPerSecond, data: b.subarray(body + 20, body + 20 + captured), originalLength: r32(body + 16) };
      }
    } else if (type === 0x00000003 && interfaces[0]) {
      const original = r32(body);
      const captured = Math.min(original, end - body - 4);
      yield { linktype: interfaces[0].linktype, timestampNs: 0n, data: b.subarray(body + 4, body + 4 + captured), originalLength: original };
    }
    at += length;
  }
}

/** if_tsresol (option 9): 10^-n, or 2^-n with the top bit set; default microseconds. */
function tsresol(b: Buffer, at: number, end: number, r16: (o: number) => number): bigint {
  while (at + 4 <= end) {
    const code = r16(at);
    const length = r16(at + 2);
    if (code === 0) break;
    if (code === 9 && length >= 1) {
      const v = b[at + 4]!;
      return v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
    }
    at += 4 + ((length + 3) & ~3);
  }
  return 1_000_000n;
}
