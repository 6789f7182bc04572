// `lanyard tzsp decap`: pull TZSP-carried frames out of a capture of UDP traffic, one interface per sensor.
import type { DecapResult } from './contract.ts';
import { ipv4Text, ipv6Text } from './address-text.ts';
import { unmapped } from './allow-list.ts';
import { readCaptureFile } from './capture-file.ts';
import { FileOutput } from './file-output.ts';
import { FragmentReassembler, type IpPacket } from './ip-fragments.ts';
import { PcapngSession } from './pcapng-session.ts';
import { sensorId } from './sensors.ts';
import { parseTzsp, unknownEncapsulationLinktype } from './tzsp.ts';

export async function decapFile(input: string, output: string, port: number): Promise<DecapResult> {
  const session = new PcapngSession();
  const file = new FileOutput({ path: output });
  session.attach(file);
  const fragments = new FragmentReassembler();
  const result: DecapResult = { packets: 0, skipped: 0, malformed: 0, fragments: 0, fragmentsDropped: 0, interfaces: [] };
  try {
    for (const packet of readCaptureFile(input)) {
      const ip = outerIp(packet.linktype, packet.data);
      if (ip?.protocol !== 17) {
        result.skipped++;
        continue;
      }
      const transport = fragments.add(ip, Number(packet.timestampNs / 1_000_000n));
      if (!transport) continue;
      if (transport.length < 8 || transport.readUInt16BE(2) !== port) {
        result.skipped++;
        continue;
      }
      const length = transport.readUInt16BE(4);
      const tzsp = parseTzsp(transport.subarray(8, Math.min(transport.length, Math.max(8, length))));
      if (tzsp.kind === 'malformed') result.malformed++;
      if (tzsp.kind !== 'frame') continue;
      const timestampNs = tzsp.timestamp
        ? BigInt(tzsp.timestamp.seconds) * 1_000_000_000n + BigInt(tzsp.timestamp.nanoseconds)
        : packet.timestampNs;
      session.write({
        sensor: sensorId(ip.src, tzsp.deviceName),
        linktype: tzsp.linktype ?? unknownEncapsulationLinktype,
        encapsulation: tzsp.encapsulation,
        frame: tzsp.frame,
        ...(tzsp.originalLength !== undefined ? { originalLength: tzsp.originalLength } : {}),
        timestampNs,
      });
      result.packets++;
    }
  } finally {
    await file.close();
  }
  if (file.error) throw new Error(file.error);
  ({ orphans: result.fragments, dropped: result.fragmentsDropped } = fragments.stats());
  result.interfaces = session.interfaces().map((i) => ({ ...i }));
  return result;
}

/** The IP packet inside a frame of the outer capture, if there is one. */
function outerIp(linktype: number, b: Buffer): IpPacket | null {
  try {
    switch (linktype) {
      case 1:
        return ethernetPayload(b, 12);
      case 101:
      case 228:
      case 229:
        return ip(b, 0);
      case 113: // Linux cooked: protocol at 14, payload at 16
        return etherType(b, b.readUInt16BE(14), 16);
      case 276: // Linux cooked v2: protocol at 0, payload at 20
        return etherType(b, b.readUInt16BE(0), 20);
      case 0: // BSD loopback: a 4-byte address family, then IP
        return ip(b, 4);
      default:
        return null;
    }
  } catch {
    return null;
  }
}

function ethernetPayload(b: Buffer, typeAt: number): IpPacket | null {
  let at = typeAt;
  while (b.readUInt16BE(at) === 0x8100 || b.readUInt16BE(at) === 0x88a8) at += 4;
  return etherType(b, b.readUInt16BE(at), at + 2);
}

function etherType(b: Buffer, type: number, at: number): IpPacket | null {
  return type === 0x0800 || type === 0x86dd ? ip(b, at) : null;
}

function ip(b: Buffer, at: number): IpPacket | null {
  const version = b[at]! >> 4;
  if (version === 4) {
    const headerLength = (b[at]! & 0x0f) * 4;
    const total = b.readUInt16BE(at + 2);
    const flags = b.readUInt16BE(at + 6);
    return {
      src: ipv4Text(b, at + 12),
      dst: ipv4Text(b, at + 16),
      protocol: b[at + 9]!,
      id: b.readUInt16BE(at + 4),
      offset: (flags & 0x1fff) * 8,
      more: (flags & 0x2000) !== 0,
      payload: b.subarray(at + headerLength, Math.min(b.length, at + Math.max(total, headerLength))),
    };
  }
  if (version !== 6) return null;
  const src = unmapped(ipv6Text(b, at + 8));
  const dst = ipv6Text(b, at + 24);
  const end = Math.min(b.length, at + 40 + b.readUInt16BE(at + 4));
  let next = b[at + 6]!;
  let p = at + 40;
  let fragment: { offset: number; more: boolean; id: number } | null = null;
  // Hop-by-hop, routing, destination options and fragment headers, up to the transport header.
  while ((next === 0 || next === 43 || next === 60 || next === 44) && p + 8 <= end) {
    if (next === 44) {
      const field = b.readUInt16BE(p + 2);
      fragment = { offset: field & 0xfff8, more: (field & 1) === 1, id: b.readUInt32BE(p + 4) };
      next = b[p]!;
      p += 8;
    } else {
      next = b[p]!;
      p += (b[p + 1]! + 1) * 8;
    }
  }
  return {
    src,
    dst,
    protocol: next,
    id: fragment?.id ?? 0,
    offset: fragment?.offset ?? 0,
    more: fragment?.more ?? false,
    payload: b.subarray(p, end),
  };
}
