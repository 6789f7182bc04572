// A pcap/pcapng file as CapturedPackets: the captures tool walks the file's records and finds the IP packet in
// each frame in place (Ethernet with VLAN tags, Linux cooked v1/v2, raw IP, BSD loopback; IPv4/IPv6) and rebuilds
// fragments; this walks the UDP or TCP header to the payload, or SCTP's chunks to its user messages (SIP over SCTP,
// one message each). Other protocols are skipped. This is the file path's inner loop (a million packets for 20,000 calls): one packet object serves every
// packet, IPv4 address text comes from a cache, and the only allocation per packet is the payload's view.
import type { CaptureCursor, CaptureReaders, CaptureStop } from '../captures/tool.ts';
import type { CapturedPacket } from './packet.ts';

export interface FrameRef {
  /** The frame as it is in the file, for `calls export`. */
  linktype: number;
  data: Buffer;
  timestampNs: bigint;
  originalLength: number;
}

/** Datagrams whose earlier fragments' frames are held for `withFragments` (oldest dropped past it). */
const maxHeldDatagrams = 1024;

const none: readonly FrameRef[] = [];

/** The cursor's current frame as a FrameRef (its data still a view into the read window unless `copy`). */
export function frameRef(cursor: CaptureCursor, copy = false): FrameRef {
  const data = cursor.data();
  return {
    linktype: cursor.linktype,
    data: copy ? Buffer.from(data) : data,
    timestampNs: cursor.timestampNs,
    originalLength: cursor.originalLength,
  };
}

/** How a walk over a file ended: the records it read, and where and why the file broke if it did. */
export interface FileEnd {
  records: number;
  stop: CaptureStop | null;
}

/**
 * Every UDP/TCP payload and SCTP message of the file, in file order. A callback rather than a generator, and the packet object is
 * reused: `p` and `frame` (the cursor, at this packet's frame) are valid only during the call. With
 * `withFragments`, a payload rebuilt from IP fragments also comes with copies of its earlier fragments' frames (for
 * export, which must write them all); otherwise `earlier` is always empty. A file that breaks midway is read up to
 * the break, which the result names.
 */
export function forEachPacket(
  readers: CaptureReaders,
  file: string,
  visit: (p: CapturedPacket, frame: CaptureCursor, earlier: readonly FrameRef[]) => void,
  options: { source?: string; withFragments?: boolean } = {},
): FileEnd {
  const fragments = new readers.FragmentReassembler();
  const sctp = new readers.SctpReader<FrameRef>();
  const keepFrame = options.withFragments ? () => frameRef(cursor, true) : undefined;
  const names = new readers.AddressNames();
  const where = readers.newIpLocation();
  const held = new Map<string, FrameRef[]>();
  const packet: CapturedPacket = {
    ts: 0,
    src: '',
    dst: '',
    sport: 0,
    dport: 0,
    transport: 'udp',
    payload: Buffer.alloc(0),
    source: options.source ?? 'file',
    tcpSeq: undefined,
    tcpFlags: undefined,
  };
  const cursor = readers.openCaptureFile(file, { reuseWindow: true });
  try {
    while (cursor.next()) {
      const b = cursor.buffer;
      if (!readers.locateIp(cursor.linktype, b, cursor.dataAt, cursor.dataAt + cursor.length, where)) continue;
      const protocol = where.protocol;
      if (protocol !== 17 && protocol !== 6 && protocol !== 132) continue;
      const ts = cursor.timestampUs;
      let t = b;
      let at = where.payloadAt;
      let end = where.payloadEnd;
      let earlier = none;
      if (where.offset > 0 || where.more) {
        const src = names.source(b, where);
        const dst = names.destination(b, where);
        const piece = { src, dst, protocol, id: where.id, offset: where.offset, more: where.more, payload: b.subarray(at, end) };
        const whole = fragments.add(piece, ts / 1000);
        if (options.withFragments) {
          const key = `${src}|${dst}|${protocol}|${where.id}`;
          if (!whole) hold(held, key, frameRef(cursor, true));
          else {
            earlier = held.get(key) ?? none;
            held.delete(key);
          }
        }
        if (!whole) continue;
        t = whole;
        at = 0;
        end = whole.length;
      }
      packet.ts = ts;
      packet.src = names.source(b, where);
      packet.dst = names.destination(b, where);
      if (protocol === 132) {
        // A message rebuilt from SCTP fragments comes with copies of the earlier packets' frames, for export.
        sctp.read(
          packet.src,
          packet.dst,
          t.subarray(at, end),
          (m) => {
            packet.transport = 'sctp';
            packet.tcpSeq = packet.tcpFlags = undefined;
            packet.sport = m.sport;
            packet.dport = m.dport;
            packet.payload = m.payload;
            visit(packet, cursor, m.earlier.length > 0 ? [...earlier, ...m.earlier] : earlier);
          },
          keepFrame,
        );
        continue;
      }
      if (!transportPayload(protocol, t, at, end, packet)) continue;
      visit(packet, cursor, earlier);
    }
    return { records: cursor.packets, stop: cursor.stop };
  } finally {
    cursor.close();
  }
}

function hold(held: Map<string, FrameRef[]>, key: string, frame: FrameRef): void {
  const frames = held.get(key);
  if (frames) {
    frames.push(frame);
    return;
  }
  if (held.size >= maxHeldDatagrams) held.delete(held.keys().next().value!);
  held.set(key, [frame]);
}

/** The UDP or TCP header at t[at, end) read into `p` (ports, transport, payload view, TCP sequence and flags); false when cut short. */
function transportPayload(protocol: number, t: Buffer, at: number, end: number, p: CapturedPacket): boolean {
  const size = end - at;
  if (protocol === 17) {
    if (size < 8) return false;
    const length = (t[at + 4]! << 8) | t[at + 5]!;
    p.transport = 'udp';
    p.tcpSeq = p.tcpFlags = undefined;
    p.payload = t.subarray(at + 8, length >= 8 ? Math.min(end, at + length) : end);
  } else {
    if (size < 20) return false;
    const offset = (t[at + 12]! >> 4) * 4;
    if (offset < 20 || offset > size) return false;
    p.transport = 'tcp';
    p.payload = t.subarray(at + offset, end);
    p.tcpSeq = ((t[at + 4]! << 24) | (t[at + 5]! << 16) | (t[at + 6]! << 8) | t[at + 7]!) >>> 0;
    p.tcpFlags = t[at + 13]!;
  }
  p.sport = (t[at]! << 8) | t[at + 1]!;
  p.dport = (t[at + 2]! << 8) | t[at + 3]!;
  return true;
}
