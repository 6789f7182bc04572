// Read pcap and pcapng files (either byte order, µs/ns pcap, every pcapng section and interface)
// for `lanyard tzsp send` and `decap`. Files are read in chunks, so a multi-gigabyte capture streams.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface FilePacket {
  linktype: number;
  /** Capture time in nanoseconds since the epoch. */
  timestampNs: bigint;
  /** Valid after the next packet is read (each chunk is a fresh buffer), so it can be queued for sending. */
  data: Buffer;
  originalLength: number;
}

export class CaptureFileError extends Error {
  override name = 'CaptureFileError';
}

/** Bytes at absolute offsets; null when the source ends first. */
interface Source {
  bytes(offset: number, length: number): Buffer | null;
}

const chunkSize = 4 * 1024 * 1024;
/** A record or block longer than this is refused (Wireshark's own largest, for D-Bus, is 128 MiB; packets are far smaller). */
export const maxRecordBytes = 64 * 1024 * 1024;
/** Interfaces per pcapng section: each costs memory, and a file of tiny IDBs would otherwise cost it per 20 bytes. */
export const maxInterfaces = 65_536;

/** A declared length is outside input: check it before anything is allocated for it. */
function checkLength(length: number, what: string): void {
  if (length > maxRecordBytes)
    throw new CaptureFileError(`${what} declares ${length} bytes, more than the ${maxRecordBytes}-byte limit (a corrupt or hostile file)`);
}

/** A sliding window over a file: refills with a new buffer (never overwrites one already handed out). */
class FileSource implements Source {
  readonly #fd: number;
  /** Nothing is read or allocated for bytes past the end of the file, whatever a length field says. */
  readonly #size: number;
  #window = Buffer.alloc(0);
  #start = 0;
  #eof = false;

  constructor(fd: number) {
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
  }

  bytes(offset: number, length: number): Buffer | null {
    if (offset + length > this.#size) return null;
    if (offset < this.#start || offset + length > this.#start + this.#window.length) {
      if (this.#eof) return null;
      this.#refill(offset, length);
      if (offset + length > this.#start + this.#window.length) return null;
    }
    return this.#window.subarray(offset - this.#start, offset - this.#start + length);
  }

  /** A new window starting at `offset` (readers only move forward), keeping the bytes already read. */
  #refill(offset: number, length: number): void {
    const keep = offset >= this.#start ? this.#window.subarray(offset - this.#start) : Buffer.alloc(0);
    const size = Math.max(chunkSize, length);
    const next = Buffer.allocUnsafe(size);
    let filled = keep.copy(next);
    while (filled < size) {
      const got = readSync(this.#fd, next, filled, size - filled, offset + filled);
      if (got === 0) {
        this.#eof = true;
        break;
      }
      filled += got;
    }
    this.#start = offset;
    this.#window = next.subarray(0, filled);
  }
}

class BufferSource implements Source {
  readonly #bytes: Buffer;
  constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }
  bytes(offset: number, length: number): Buffer | null {
    return offset + length <= this.#bytes.length ? this.#bytes.subarray(offset, offset + length) : null;
  }
}

export function* readCaptureFile(file: string): Generator<FilePacket> {
  const fd = openSync(file, 'r');
  try {
    yield* readSource(new FileSource(fd));
  } finally {
    closeSync(fd);
  }
}

export function* readCapture(bytes: Buffer): Generator<FilePacket> {
  yield* readSource(new BufferSource(bytes));
}

function* readSource(source: Source): Generator<FilePacket> {
  const magic = source.bytes(0, 4);
  if (!magic) throw new CaptureFileError('the file is too short to be a capture');
  if (magic.readUInt32LE(0) === 0x0a0d0d0a) yield* readPcapng(source);
  else yield* readPcap(source);
}

function* readPcap(source: Source): Generator<FilePacket> {
  const header = source.bytes(0, 24);
  if (!header) throw new CaptureFileError('the pcap header is truncated');
  const magics: Record<number, { le: boolean; ns: boolean }> = {
    2712847316: { le: true, ns: false },
    2712812621: { le: true, ns: true },
    3569595041: { le: false, ns: false },
    1295823521: { le: false, ns: true },
  };
  const kind = magics[header.readUInt32LE(0)];
  if (!kind) throw new CaptureFileError('not a pcap or pcapng file (unknown magic number)');
  const r32 = (b: Buffer, at: number) => (kind.le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const linktype = r32(header, 20) & 0x0fffffff;
  let at = 24;
  for (;;) {
    const record = source.bytes(at, 16);
    if (!record) return;
    const captured = r32(record, 8);
    checkLength(captured, `the pcap record at byte ${at}`);
    const data = source.bytes(at + 16, captured);
    if (!data) return; // a truncated last record, as tcpdump leaves when killed
    const fraction = r32(record, 4);
    const timestampNs = BigInt(r32(record, 0)) * 1_000_000_000n + BigInt(kind.ns ? fraction : fraction * 1000);
    yield { linktype, timestampNs, data, originalLength: r32(record, 12) };
    at += 16 + captured;
  }
}

interface Interface {
  linktype: number;
  /** Units per second of this interface's timestamps. */
  unitsPerSecond: bigint;
}

function* readPcapng(source: Source): Generator<FilePacket> {
  let le = true;
  let interfaces: Interface[] = [];
  let at = 0;
  for (;;) {
    const head = source.bytes(at, 12);
    if (!head) return;
    if (head.readUInt32LE(0) === 0x0a0d0d0a) {
      const bom = head.readUInt32LE(8);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureFileError('pcapng section header has a bad byte-order magic');
      interfaces = [];
    }
    const r32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const r16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const type = r32(head, 0);
    const length = r32(head, 4);
    if (length < 12 || length % 4 !== 0) return;
    checkLength(length, `the pcapng block at byte ${at}`);
    const block = source.bytes(at, length);
    if (!block) return;
    const end = length - 4;
    if (type === 0x00000001) {
      if (interfaces.length >= maxInterfaces) throw new CaptureFileError(`more than ${maxInterfaces} interfaces in one pcapng section`);
      interfaces.push({ linktype: r16(block, 8), unitsPerSecond: tsresol(block, 16, end, r16) });
    } else if (type === 0x00000006 && 28 <= end) {
      const iface = interfaces[r32(block, 8)];
      const captured = r32(block, 20);
      if (iface && 28 + captured <= end) {
        const units = (BigInt(r32(block, 12)) << 32n) | BigInt(r32(block, 16));
        yield {
          linktype: iface.linktype,
          timestampNs: (units * 1_000_000_000n) / iface.unitsPerSecond,
          data: block.subarray(28, 28 + captured),
          originalLength: r32(block, 24),
        };
      }
    } else if (type === 0x00000003 && interfaces[0]) {
      const original = r32(block, 8);
      const captured = Math.min(original, end - 12);
      yield { linktype: interfaces[0].linktype, timestampNs: 0n, data: block.subarray(12, 12 + captured), originalLength: original };
    }
    at += length;
  }
}

/** if_tsresol (option 9): 10^-n, or 2^-n with the top bit set; default microseconds. */
function tsresol(b: Buffer, at: number, end: number, r16: (b: Buffer, o: number) => number): bigint {
  while (at + 4 <= end) {
    const code = r16(b, at);
    const length = r16(b, at + 2);
    if (code === 0) break;
    if (code === 9 && length >= 1) {
      const v = b[at + 4]!;
      return v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
    }
    at += 4 + ((length + 3) & ~3);
  }
  return 1_000_000n;
}
