// The transport tap's packets packed for the trip from the receiver process to the host: many packets in one
// ArrayBuffer, so the host pays one message per batch, never one per packet.
// Layout: records back to back — f64 ts, u16 src, u16 dst, u16 source (indexes into the batch's string table),
// u16 sport, u16 dport, u8 transport (an index into `transports`; the top bit set when the TCP sequence follows),
// u32 payload length, [u32 TCP sequence, u8 TCP flags], payload — then the string table as JSON, its byte length as
// a u32, and the format's tag as the last u32. Addresses and sensor names repeat packet after packet: each is
// written once per batch and decoded once per batch on the host. Only TCP from a sensor's frame pays the 5 bytes of
// sequence and flags (Calls puts the stream back in order with them); the payload is the segment's data alone.
import type { TransportPacket, TransportSink } from './transport-packet.ts';

const recordHeader = 8 + 2 * 5 + 1 + 4;
/** What a record carrying a TCP sequence number and flags adds after its header. */
const tcpFields = 5;
const sequenced = 0x80;
/** The transports by their byte in a record; an unknown byte is refused with the batch. */
const transports: readonly TransportPacket['transport'][] = ['udp', 'tcp', 'sctp'];
/** "LTB" and the layout's version: a batch of another layout (a host and receiver from different builds) is refused. */
const formatTag = 0x4c544202;
/** A batch is sent once it holds this much (the receiver also sends on a timer). */
export const batchBytes = 1 << 20;
/** String indexes are 16-bit: a batch closes before its table outgrows them. */
const maxStrings = 0xffff;

export class TapBatchWriter {
  #buffer = new ArrayBuffer(batchBytes + 0x10000 + recordHeader + tcpFields);
  #view = new DataView(this.#buffer);
  #bytes = new Uint8Array(this.#buffer);
  #at = 0;
  #count = 0;
  readonly #strings = new Map<string, number>();

  get count(): number {
    return this.#count;
  }

  /** True when the batch should be sent before the next packet is added. */
  get full(): boolean {
    return this.#at >= batchBytes || this.#strings.size >= maxStrings - 3;
  }

  add(p: TransportPacket): void {
    const length = Math.min(p.payload.length, 0xffff);
    const at = this.#at;
    const v = this.#view;
    const tcp = p.transport === 'tcp' && p.tcpSeq !== undefined;
    v.setFloat64(at, p.ts, true);
    v.setUint16(at + 8, this.#string(p.src), true);
    v.setUint16(at + 10, this.#string(p.dst), true);
    v.setUint16(at + 12, this.#string(p.source), true);
    v.setUint16(at + 14, p.sport, true);
    v.setUint16(at + 16, p.dport, true);
    v.setUint8(at + 18, transports.indexOf(p.transport) | (tcp ? sequenced : 0));
    v.setUint32(at + 19, length, true);
    let data = at + recordHeader;
    if (tcp) {
      v.setUint32(data, p.tcpSeq!, true);
      v.setUint8(data + 4, p.tcpFlags ?? 0);
      data += tcpFields;
    }
    this.#bytes.set(length === p.payload.length ? p.payload : p.payload.subarray(0, length), data);
    this.#at = data + length;
    this.#count++;
  }

  /** The batch so far as its own ArrayBuffer (to transfer), or null when empty; the writer starts a new one. */
  take(): ArrayBuffer | null {
    if (this.#count === 0) return null;
    const table = Buffer.from(JSON.stringify([...this.#strings.keys()]));
    const out = new ArrayBuffer(this.#at + table.length + 8);
    const bytes = new Uint8Array(out);
    bytes.set(this.#bytes.subarray(0, this.#at));
    bytes.set(table, this.#at);
    const v = new DataView(out);
    v.setUint32(out.byteLength - 8, table.length, true);
    v.setUint32(out.byteLength - 4, formatTag, true);
    this.#at = 0;
    this.#count = 0;
    this.#strings.clear();
    return out;
  }

  #string(s: string): number {
    let i = this.#strings.get(s);
    if (i === undefined) this.#strings.set(s, (i = this.#strings.size));
    return i;
  }
}

/**
 * Hand every packet of a batch to `sink`, in order. One packet object is reused: it and its payload (a view into
 * the batch) are valid only during the call. A batch that does not parse ends the walk (returns false).
 */
export function readTapBatch(batch: ArrayBuffer, sink: TransportSink): boolean {
  const v = new DataView(batch);
  if (batch.byteLength < 8 || v.getUint32(batch.byteLength - 4, true) !== formatTag) return false;
  const tableLength = v.getUint32(batch.byteLength - 8, true);
  const end = batch.byteLength - 8 - tableLength;
  if (end < 0) return false;
  let strings: unknown;
  try {
    strings = JSON.parse(Buffer.from(batch, end, tableLength).toString());
  } catch {
    return false;
  }
  if (!Array.isArray(strings)) return false;
  const text = (i: number): string => (typeof strings[i] === 'string' ? strings[i] : '?');
  const packet: TransportPacket = { ts: 0, src: '', dst: '', sport: 0, dport: 0, transport: 'udp', payload: Buffer.alloc(0), source: '' };
  let at = 0;
  while (at + recordHeader <= end) {
    const length = v.getUint32(at + 19, true);
    const kind = v.getUint8(at + 18);
    const transport = transports[kind & ~sequenced];
    if (!transport || (kind & sequenced && transport !== 'tcp')) return false;
    let data = at + recordHeader;
    if (kind & sequenced) {
      if (data + tcpFields > end) return false;
      packet.tcpSeq = v.getUint32(data, true);
      packet.tcpFlags = v.getUint8(data + 4);
      data += tcpFields;
    } else packet.tcpSeq = packet.tcpFlags = undefined;
    if (data + length > end) return false;
    packet.ts = v.getFloat64(at, true);
    packet.src = text(v.getUint16(at + 8, true));
    packet.dst = text(v.getUint16(at + 10, true));
    packet.source = text(v.getUint16(at + 12, true));
    packet.sport = v.getUint16(at + 14, true);
    packet.dport = v.getUint16(at + 16, true);
    packet.transport = transport;
    packet.payload = Buffer.from(batch, data, length);
    sink(packet);
    at = data + length;
  }
  return at === end;
}
