// A pcap/pcapng file as CapturedPackets: the captures tool reads the file and finds the IP packet in each frame
// (Ethernet with VLAN tags, Linux cooked v1/v2, raw IP, BSD loopback; IPv4/IPv6) and rebuilds fragments;
// this walks the UDP or TCP header to the payload, or SCTP's chunks to its user messages (SIP over SCTP, one
// message each). Other protocols are skipped.
import type { CaptureReaders } from '../captures/tool.ts';
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

/**
 * Every UDP/TCP payload of the file, in file order, with its frame (valid until the next one is read). A callback
 * rather than a generator: this is the file path's inner loop, and a yielded tuple per packet showed in its profile.
 * With `withFragments`, a payload rebuilt from IP fragments also comes with copies of its earlier fragments' frames
 * (for export, which must write them all); otherwise `earlier` is always empty.
 */
export function forEachPacket(
  readers: CaptureReaders,
  file: string,
  visit: (p: CapturedPacket, frame: FrameRef, earlier: readonly FrameRef[]) => void,
  options: { source?: string; withFragments?: boolean } = {},
): void {
  const source = options.source ?? 'file';
  const fragments = new readers.FragmentReassembler();
  const sctp = new readers.SctpReader<FrameRef>();
  const held = new Map<string, FrameRef[]>();
  const none: readonly FrameRef[] = [];
  for (const frame of readers.readCaptureFile(file)) {
    const ip = readers.frameIp(frame.linktype, frame.data);
    if (!ip || (ip.protocol !== 17 && ip.protocol !== 6 && ip.protocol !== 132)) continue;
    // Number() of the nanoseconds, not a BigInt division: no allocation, and µs are exact to a quarter of one.
    const ts = Math.floor(Number(frame.timestampNs) / 1000);
    const t = fragments.add(ip, ts / 1000);
    const fragmented = options.withFragments === true && (ip.offset > 0 || ip.more);
    const key = fragmented ? `${ip.src}|${ip.dst}|${ip.protocol}|${ip.id}` : '';
    if (!t) {
      if (fragmented) hold(held, key, { ...frame, data: Buffer.from(frame.data) });
      continue;
    }
    const earlier = fragmented ? (held.get(key) ?? none) : none;
    if (fragmented) held.delete(key);
    if (ip.protocol === 132) {
      // A message rebuilt from SCTP fragments comes with copies of the earlier packets' frames, for export.
      sctp.read(
        ip.src,
        ip.dst,
        t,
        (m) =>
          visit(
            { ts, src: ip.src, dst: ip.dst, sport: m.sport, dport: m.dport, transport: 'sctp', payload: m.payload, source },
            frame,
            m.earlier.length > 0 ? [...earlier, ...m.earlier] : earlier,
          ),
        options.withFragments ? () => ({ ...frame, data: Buffer.from(frame.data) }) : undefined,
      );
      continue;
    }
    const packet = transportPayload(ip.protocol, t, ip.src, ip.dst, ts, source);
    if (packet) visit(packet, frame, earlier);
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

function transportPayload(protocol: number, t: Buffer, src: string, dst: string, ts: number, source: string): CapturedPacket | null {
  if (protocol === 17) {
    if (t.length < 8) return null;
    const length = t.readUInt16BE(4);
    const end = length >= 8 ? Math.min(t.length, length) : t.length;
    return { ts, src, dst, sport: t.readUInt16BE(0), dport: t.readUInt16BE(2), transport: 'udp', payload: t.subarray(8, end), source };
  }
  if (t.length < 20) return null;
  const offset = (t[12]! >> 4) * 4;
  if (offset < 20 || offset > t.length) return null;
  return { ts, src, dst, sport: t.readUInt16BE(0), dport: t.readUInt16BE(2), transport: 'tcp', payload: t.subarray(offset), source };
}
