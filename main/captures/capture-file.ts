// Read pcap and pcapng files (either byte order, µs/ns pcap, every pcapng section and interface) for
// `lanyard tzsp send`, `decap` and Calls. Files are read in large chunks, so a multi-gigabyte capture streams;
// the cursor walks them without allocating per record (Calls' file path reads millions), the generators wrap it.
// A file that breaks midway (cut short, garbage after the packets, a length no packet has) ends the walk with the
// packets read so far and `stop` saying where and why; only a file that is no capture at all throws at once.
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

/** A sliding window over the bytes: `ensure` makes [offset, offset + length) readable at `buffer[offset - base]`. */
interface Source {
  buffer: Buffer;
  base: number;
  /** Bytes in the file. */
  readonly size: number;
  ensure(offset: number, length: number): boolean;
}

const chunkSize = 4 * 1024 * 1024;
/** A record or block longer than this is refused (Wireshark's own largest, for D-Bus, is 128 MiB; packets are far smaller). */
export const maxRecordBytes = 64 * 1024 * 1024;
/** Wireshark's largest packet for the common link types: a pcap record longer than this and the snaplen is refused. */
export const maxPacketBytes = 262_144;
/** Interfaces per pcapng section: each costs memory, and a file of tiny IDBs would otherwise cost it per 20 bytes. */
export const maxInterfaces = 65_536;

/** Where and why a walk ended before the end of the file. */
export interface CaptureStop {
  /** Offset of the record or block that could not be read. */
  byte: number;
  /** Its number as a packet (1-based): the packets before it were read. */
  packet: number;
  /** What was wrong, in words. */
  reason: string;
  /** The file ends inside a record (as a capture whose writer was killed leaves it); otherwise its bytes are not one. */
  cutShort: boolean;
  /** One line: "stopped at byte 1,234 (packet 9): … — the 8 packets before it were read". */
  text: string;
}

const count = (n: number): string => n.toLocaleString('en-US');

function captureStop(byte: number, packet: number, reason: string, cutShort: boolean): CaptureStop {
  const before = packet - 1;
  const read =
    before === 0
      ? 'no packet before it'
      : before === 1
        ? 'the 1 packet before it was read'
        : `the ${count(before)} packets before it were read`;
  return { byte, packet, reason, cutShort, text: `stopped at byte ${count(byte)} (packet ${count(packet)}): ${reason} — ${read}` };
}

/**
 * A file read in chunks. Each refill is a new buffer (never overwrites one already handed out), unless `reuse`:
 * then one buffer serves the whole file, for readers that are done with a frame before asking for the next — no
 * fresh pages to fault in and no garbage per chunk.
 */
class FileSource implements Source {
  readonly #fd: number;
  readonly #reuse: boolean;
  /** Nothing is read or allocated for bytes past the end of the file, whatever a length field says. */
  readonly size: number;
  buffer = Buffer.alloc(0);
  base = 0;
  #eof = false;

  constructor(fd: number, reuse: boolean) {
    this.#fd = fd;
    this.#reuse = reuse;
    this.size = fstatSync(fd).size;
  }

  ensure(offset: number, length: number): boolean {
    if (offset + length > this.size) return false;
    if (offset >= this.base && offset + length <= this.base + this.buffer.length) return true;
    if (this.#eof) return false;
    this.#refill(offset, length);
    return offset + length <= this.base + this.buffer.length;
  }

  /** A window starting at `offset` (readers only move forward), keeping the bytes already read. */
  #refill(offset: number, length: number): void {
    const keep = offset >= this.base ? this.buffer.subarray(offset - this.base) : Buffer.alloc(0);
    const size = Math.max(chunkSize, length);
    const reused = this.#reuse && this.buffer.buffer.byteLength >= size && this.buffer.byteOffset === 0;
    const next = reused ? Buffer.from(this.buffer.buffer, 0, size) : Buffer.allocUnsafeSlow(size);
    let filled = keep.copy(next); // memmove: the kept bytes may sit in the reused buffer itself
    while (filled < size) {
      const got = readSync(this.#fd, next, filled, size - filled, offset + filled);
      if (got === 0) {
        this.#eof = true;
        break;
      }
      filled += got;
    }
    this.base = offset;
    this.buffer = next.subarray(0, filled);
  }
}

class BufferSource implements Source {
  readonly buffer: Buffer;
  readonly base = 0;
  constructor(bytes: Buffer) {
    this.buffer = bytes;
  }
  get size(): number {
    return this.buffer.length;
  }
  ensure(offset: number, length: number): boolean {
    return offset + length <= this.buffer.length;
  }
}

const pcapMagics: Record<number, { le: boolean; ns: boolean }> = {
  2712847316: { le: true, ns: false },
  2712812621: { le: true, ns: true },
  3569595041: { le: false, ns: false },
  1295823521: { le: false, ns: true },
};

interface Interface {
  linktype: number;
  /** Units per second of this interface's timestamps. */
  unitsPerSecond: bigint;
  /** The same as a number, for the two common resolutions' fast path. */
  perSecond: number;
}

/**
 * One packet record at a time, read in place: after `next()` returns true the frame is
 * `buffer[dataAt, dataAt + length)` (valid until the following `next()`), with its link type, original length and
 * timestamp. Nothing is allocated per record.
 */
export class CaptureCursor {
  linktype = 0;
  buffer: Buffer = Buffer.alloc(0);
  dataAt = 0;
  length = 0;
  originalLength = 0;
  /** Packets read so far. */
  packets = 0;
  /** Set when the walk ended before the end of the file: where, and why. */
  stop: CaptureStop | null = null;
  readonly #source: Source;
  readonly #pcapng: boolean;
  #le = true;
  #ns = false;
  /** pcap: the longest record accepted — the header's snaplen, or Wireshark's limit when that is larger or absent. */
  #maxCaptured = maxPacketBytes;
  #snaplen = 0;
  #at = 0;
  #interfaces: Interface[] = [];
  /** pcap: seconds and fraction; pcapng: the high and low 32 bits of the units since the epoch. */
  #high = 0;
  #low = 0;
  /** pcapng: the packet's interface (null for a simple packet block, stamped 0). */
  #interface: Interface | null = null;

  readonly #close: () => void;

  constructor(source: Source, close: () => void = () => {}) {
    this.#source = source;
    this.#close = close;
    if (!source.ensure(0, 4)) throw new CaptureFileError('the file is too short to be a capture');
    // The first window starts at byte 0.
    this.#pcapng = source.buffer.readUInt32LE(0) === 0x0a0d0d0a;
    if (this.#pcapng) return;
    if (!source.ensure(0, 24)) throw new CaptureFileError('the pcap header is truncated');
    const header = source.buffer;
    const kind = pcapMagics[header.readUInt32LE(0)];
    if (!kind) throw new CaptureFileError('not a pcap or pcapng file (unknown magic number)');
    this.#le = kind.le;
    this.#ns = kind.ns;
    this.linktype = this.#u32(header, 20) & 0x0fffffff;
    this.#snaplen = this.#u32(header, 16);
    if (this.#snaplen <= maxRecordBytes) this.#maxCaptured = Math.max(maxPacketBytes, this.#snaplen);
    this.#at = 24;
  }

  /** Moves to the next packet; false at the end of the file, or where it breaks (then `stop` says where and why). */
  next(): boolean {
    if (this.stop) return false;
    const more = this.#pcapng ? this.#nextBlock() : this.#nextRecord();
    if (more) this.packets++;
    return more;
  }

  /** Ends the walk at byte `at` for `reason`; false, for `return this.#stopAt(…)`. */
  #stopAt(at: number, reason: string, cutShort: boolean): false {
    this.stop = captureStop(at, this.packets + 1, reason, cutShort);
    return false;
  }

  /** The file ends inside the record or block at `at` (unless exactly there: the end). */
  #cutShort(at: number, needed: number, what: string): false {
    if (at >= this.#source.size) return false;
    const have = this.#source.size - at;
    return this.#stopAt(
      at,
      `the file ends ${count(have)} byte${have === 1 ? '' : 's'} into a ${what} of ${count(needed)} bytes (cut short)`,
      true,
    );
  }

  /** Releases the file (a cursor over a buffer has nothing to release). */
  close(): void {
    this.#close();
  }

  /** The frame as its own view (still sharing the window's memory). */
  data(): Buffer {
    return this.buffer.subarray(this.dataAt, this.dataAt + this.length);
  }

  get timestampNs(): bigint {
    if (!this.#pcapng) return BigInt(this.#high) * 1_000_000_000n + BigInt(this.#ns ? this.#low : this.#low * 1000);
    if (!this.#interface) return 0n;
    const units = (BigInt(this.#high) << 32n) | BigInt(this.#low);
    return (units * 1_000_000_000n) / this.#interface.unitsPerSecond;
  }

  /** Microseconds since the epoch, rounded down: exact, and without BigInt for pcap and µs/ns pcapng. */
  get timestampUs(): number {
    const high = this.#high;
    const low = this.#low;
    if (!this.#pcapng) return high * 1_000_000 + (this.#ns ? Math.floor(low / 1000) : low);
    const perSecond = this.#interface?.perSecond ?? 0;
    if (perSecond === 1_000_000) return high * 4_294_967_296 + low;
    // 2^32 = 4,294,967 × 1000 + 296, so ⌊(high·2^32 + low) / 1000⌋ splits into two exact parts.
    if (perSecond === 1_000_000_000) return high * 4_294_967 + Math.floor((high * 296 + low) / 1000);
    return Number(this.timestampNs / 1000n);
  }

  #u32(b: Buffer, at: number): number {
    return this.#le ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  #nextRecord(): boolean {
    const source = this.#source;
    const at = this.#at;
    if (!source.ensure(at, 16)) return this.#cutShort(at, 16, 'record header');
    let b = source.buffer;
    let i = at - source.base;
    const captured = this.#u32(b, i + 8);
    if (captured > this.#maxCaptured) return this.#stopAt(at, this.#tooLong(captured), false);
    if (!source.ensure(at, 16 + captured)) return this.#cutShort(at, 16 + captured, 'record');
    b = source.buffer;
    i = at - source.base;
    this.#high = this.#u32(b, i);
    this.#low = this.#u32(b, i + 4);
    this.originalLength = this.#u32(b, i + 12);
    this.buffer = b;
    this.dataAt = i + 16;
    this.length = captured;
    this.#at = at + 16 + captured;
    return true;
  }

  /** Why a pcap record's length is refused, naming the limit it passed. */
  #tooLong(captured: number): string {
    const snaplen = this.#snaplen;
    const limit =
      this.#maxCaptured === snaplen
        ? `the snaplen ${count(snaplen)}`
        : `${count(this.#maxCaptured)}, the most a packet can be (the header's snaplen is ${count(snaplen)})`;
    return `record length ${count(captured)} exceeds ${limit}`;
  }

  #nextBlock(): boolean {
    const source = this.#source;
    for (;;) {
      const at = this.#at;
      if (!source.ensure(at, 12)) return this.#cutShort(at, 12, 'block header');
      let b = source.buffer;
      let i = at - source.base;
      if (b.readUInt32LE(i) === 0x0a0d0d0a) {
        const bom = b.readUInt32LE(i + 8);
        if (bom === 0x1a2b3c4d) this.#le = true;
        else if (bom === 0x4d3c2b1a) this.#le = false;
        else return this.#stopAt(at, 'a section header block with a bad byte-order magic', false);
        this.#interfaces = [];
      }
      const type = this.#u32(b, i);
      const length = this.#u32(b, i + 4);
      if (length < 12 || length % 4 !== 0)
        return this.#stopAt(at, `block length ${count(length)} is invalid (a block length is a multiple of 4, at least 12)`, false);
      if (length > maxRecordBytes)
        return this.#stopAt(at, `block length ${count(length)} exceeds the ${count(maxRecordBytes)}-byte limit`, false);
      if (!source.ensure(at, length)) return this.#cutShort(at, length, 'block');
      b = source.buffer;
      i = at - source.base;
      const trailer = this.#u32(b, i + length - 4);
      if (trailer !== length)
        return this.#stopAt(at, `the block's length is ${count(length)} at its start but ${count(trailer)} at its end`, false);
      this.#at = at + length;
      const end = length - 4;
      if (type === 0x00000001) {
        if (this.#interfaces.length >= maxInterfaces)
          return this.#stopAt(at, `more than ${maxInterfaces} interfaces in one pcapng section`, false);
        const unitsPerSecond = tsresol(b, i + 16, i + end, this.#le);
        this.#interfaces.push({ linktype: this.#u16(b, i + 8), unitsPerSecond, perSecond: Number(unitsPerSecond) });
      } else if (type === 0x00000006) {
        const index = 28 <= end ? this.#u32(b, i + 8) : 0;
        const iface = this.#interfaces[index];
        const captured = 28 <= end ? this.#u32(b, i + 20) : 0;
        if (28 > end || 28 + captured > end)
          return this.#stopAt(at, `a packet block of ${count(length)} bytes cannot hold its ${count(captured)} captured bytes`, false);
        if (!iface) return this.#stopAt(at, `a packet on interface ${count(index)}, which the section does not describe`, false);
        this.linktype = iface.linktype;
        this.#interface = iface;
        this.#high = this.#u32(b, i + 12);
        this.#low = this.#u32(b, i + 16);
        this.buffer = b;
        this.dataAt = i + 28;
        this.length = captured;
        this.originalLength = this.#u32(b, i + 24);
        return true;
      } else if (type === 0x00000003 && this.#interfaces[0]) {
        const original = this.#u32(b, i + 8);
        this.linktype = this.#interfaces[0].linktype;
        this.#interface = null;
        this.buffer = b;
        this.dataAt = i + 12;
        this.length = Math.min(original, end - 12);
        this.originalLength = original;
        return true;
      }
    }
  }

  #u16(b: Buffer, at: number): number {
    return this.#le ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }
}

/**
 * A cursor over a file; `close` it when done (the generators below do). Throws at once on what is not a capture.
 * With `reuseWindow`, a frame's bytes are overwritten once the cursor moves past it: for readers that copy what
 * they keep.
 */
export function openCaptureFile(file: string, options: { reuseWindow?: boolean } = {}): CaptureCursor {
  const fd = openSync(file, 'r');
  try {
    return new CaptureCursor(new FileSource(fd, options.reuseWindow === true), () => closeSync(fd));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

export function* readCaptureFile(file: string): Generator<FilePacket> {
  const cursor = openCaptureFile(file);
  try {
    yield* packets(cursor);
  } finally {
    cursor.close();
  }
}

export function* readCapture(bytes: Buffer): Generator<FilePacket> {
  yield* packets(new CaptureCursor(new BufferSource(bytes)));
}

/**
 * Every packet; a file cut short ends quietly after its last whole packet (as a capture whose writer was killed),
 * a file whose bytes stop being records throws once the packets before were handed out.
 */
function* packets(cursor: CaptureCursor): Generator<FilePacket> {
  while (cursor.next())
    yield { linktype: cursor.linktype, timestampNs: cursor.timestampNs, data: cursor.data(), originalLength: cursor.originalLength };
  if (cursor.stop && !cursor.stop.cutShort) throw new CaptureFileError(cursor.stop.text);
}

/** if_tsresol (option 9): 10^-n, or 2^-n with the top bit set; default microseconds. */
function tsresol(b: Buffer, at: number, end: number, le: boolean): bigint {
  while (at + 4 <= end) {
    const code = le ? b.readUInt16LE(at) : b.readUInt16BE(at);
    const length = le ? b.readUInt16LE(at + 2) : b.readUInt16BE(at + 2);
    if (code === 0) break;
    if (code === 9 && length >= 1) {
      const v = b[at + 4]!;
      return v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
    }
    at += 4 + ((length + 3) & ~3);
  }
  return 1_000_000n;
}
