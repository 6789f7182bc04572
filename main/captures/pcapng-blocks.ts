// pcapng blocks as Lanyard writes them: host byte order, nanosecond interfaces, no section length.
import os from 'node:os';

const littleEndian = os.endianness() === 'LE';

/** if_tsresol = 9: every interface Lanyard writes stamps in nanoseconds. */
export const tsresolNanoseconds = 9;
export const defaultSnaplen = 262_144;

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function u16(b: Buffer, at: number, v: number): void {
  if (littleEndian) b.writeUInt16LE(v, at);
  else b.writeUInt16BE(v, at);
}

function u32(b: Buffer, at: number, v: number): void {
  if (littleEndian) b.writeUInt32LE(v >>> 0, at);
  else b.writeUInt32BE(v >>> 0, at);
}

type Option = [code: number, value: Buffer];

function optionsBytes(options: Option[]): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const size = options.reduce((n, [, v]) => n + 4 + pad4(v.length), 4);
  const b = Buffer.alloc(size);
  let at = 0;
  for (const [code, value] of options) {
    u16(b, at, code);
    u16(b, at + 2, value.length);
    value.copy(b, at + 4);
    at += 4 + pad4(value.length);
  }
  return b; // the trailing 4 zero bytes are opt_endofopt
}

function block(type: number, body: Buffer): Buffer {
  const total = 12 + body.length;
  const b = Buffer.alloc(total);
  u32(b, 0, type);
  u32(b, 4, total);
  body.copy(b, 8);
  u32(b, total - 4, total);
  return b;
}

export function sectionHeaderBlock(application: string): Buffer {
  const fixed = Buffer.alloc(16);
  u32(fixed, 0, 0x1a2b3c4d);
  u16(fixed, 4, 1);
  u16(fixed, 6, 0);
  fixed.fill(0xff, 8, 16); // section length unknown: we stream
  return block(0x0a0d0d0a, Buffer.concat([fixed, optionsBytes([[4, Buffer.from(application)]])]));
}

export function interfaceDescriptionBlock(linktype: number, name: string, description: string, snaplen = defaultSnaplen): Buffer {
  const fixed = Buffer.alloc(8);
  u16(fixed, 0, linktype);
  u32(fixed, 4, snaplen);
  const options: Option[] = [
    [2, Buffer.from(name)],
    [3, Buffer.from(description)],
    [9, Buffer.from([tsresolNanoseconds])],
  ];
  return block(0x00000001, Buffer.concat([fixed, optionsBytes(options)]));
}

/** An EPB; `originalLength` below the captured length is raised to it (pcapng forbids less). */
export function enhancedPacketBlock(
  interfaceId: number,
  timestampNs: bigint,
  data: Buffer,
  originalLength = data.length,
  allocate: (size: number) => Buffer = Buffer.allocUnsafe,
): Buffer {
  const padded = pad4(data.length);
  const total = 32 + padded;
  const b = allocate(total);
  u32(b, 0, 0x00000006);
  u32(b, 4, total);
  u32(b, 8, interfaceId);
  u32(b, 12, Number(timestampNs >> 32n));
  u32(b, 16, Number(timestampNs & 0xffffffffn));
  u32(b, 20, data.length);
  u32(b, 24, Math.max(originalLength, data.length));
  data.copy(b, 28);
  b.fill(0, 28 + data.length, 28 + padded);
  u32(b, total - 4, total);
  return b;
}
