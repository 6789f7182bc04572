// `lanyard tzsp decap`: pull TZSP-carried frames out of a capture of UDP traffic, one interface per sensor.
import type { DecapResult } from '../contract/captures.ts';
import { ipv4Text, ipv6Text } from './address-text.ts';
import { unmapped } from './allow-list.ts';
import { readCaptureFile } from './capture-file.ts';
import { FileOutput } from './file-output.ts';
import { PcapngSession } from './pcapng-session.ts';
import { sensorId } from './sensors.ts';
import { parseTzsp, unknownEncapsulationLinktype } from './tzsp.ts';

interface Udp {
  src: string;
  dstPort: number;
  payload: Buffer;
}

type Outer = Udp | 'fragment' | null;

export async function decapFile(input: string, output: string, port: number): Promise<DecapResult> {
  const session = new PcapngSession();
  const file = new FileOutput({ path: output });
  session.attach(file);
  const result: DecapResult = { packets: 0, skipped: 0, malformed: 0, fragments: 0, interfaces: [] };
  try {
    for (const packet of readCaptureFile(input)) {
      const udp = outerUdp(packet.linktype, packet.data);
      if (udp === 'fragment') {
        result.fragments++;
        continue;
      }
      if (!udp || udp.dstPort !== port) {
        result.skipped++;
        continue;
      }
      const tzsp = parseTzsp(udp.payload);
      if (tzsp.kind === 'malformed') result.malformed++;
      if (tzsp.kind !== 'frame') continue;
      const timestampNs = tzsp.timestamp ? BigInt(tzsp.timestamp.seconds) * 1_000_000_000n + BigInt(tzsp.timestamp.nanoseconds) : packet.timestampNs;
      session.write({
        sensor: sensorId(udp.src, tzsp.deviceName),
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
  result.interfaces = session.interfaces().map((i) => ({ ...i }));
  return result;
}

/** The UDP datagram inside a frame of the outer capture, if there is one. */
export function outerUdp(linktype: number, b: Buffer): Outer {
  try {
    switch (linktype) {
      case 1:
        return ethernetPayload(b, 12);
      case 101:
      case 228:
      case 229:
        return ipUdp(b, 0);
      case 113: // Linux cooked: protocol at 14, payload at 16
        return etherType(b, b.readUInt16BE(14), 16);
      case 276: // Linux cooked v2: protocol at 0, payload at 20
        return etherType(b, b.readUInt16BE(0), 20);
      case 0: // BSD loopback: address family in host order
        return ipUdp(b, 4);
      default:
        return null;
    }
  } catch {
    return null;
  }
}

function ethernetPayload(b: Buffer, typeAt: number): Outer {
  let at = typeAt;
  while (b.readUInt16BE(at) === 0x8100 || b.readUInt16BE(at) === 0x88a8) at += 4;
  return etherType(b, b.readUInt16BE(at), at + 2);
}

function etherType(b: Buffer, type: number, at: number): Outer {
  return type === 0x0800 || type === 0x86dd ? ipUdp(b, at) : null;
}

function ipUdp(b: Buffer, at: number): Outer {
  const version = b[at]! >> 4;
  let next: number;
  let p: number;
  let src: string;
  if (version === 4) {
    const flags = b.readUInt16BE(at + 6);
    if ((flags & 0x1fff) !== 0 || (flags & 0x2000) !== 0) return 'fragment';
    next = b[at + 9]!;
    p = at + (b[at]! & 0x0f) * 4;
    src = ipv4Text(b, at + 12);
  } else if (version === 6) {
    next = b[at + 6]!;
    p = at + 40;
    src = unmapped(ipv6Text(b, at + 8));
    while (next === 0 || next === 43 || next === 60 || next === 44) {
      if (next === 44) return 'fragment';
      next = b[p]!;
      p += (b[p + 1]! + 1) * 8;
    }
  } else return null;
  if (next !== 17) return null;
  const length = b.readUInt16BE(p + 4);
  return { src, dstPort: b.readUInt16BE(p + 2), payload: b.subarray(p + 8, Math.min(b.length, p + Math.max(8, length))) };
}
