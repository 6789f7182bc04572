// The IP packet inside a captured frame: Ethernet (VLAN tags skipped), raw IP, Linux cooked v1/v2, BSD loopback.
// Read by `decap` (the outer capture) and by the live transport tap (each sensor's frames).
import { ipv4Text, ipv6Text } from './address-text.ts';
import { unmapped } from './allow-list.ts';
import type { IpPacket } from './ip-fragments.ts';

/** The IP packet inside a link-layer frame, if there is one (VLAN tags skipped; IPv6 extension headers walked). */
export function frameIp(linktype: number, b: Buffer): IpPacket | null {
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
    if (b.length < at + 20) return null; // cut short before the addresses
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
