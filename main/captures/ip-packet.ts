// The IP packet inside a captured frame: Ethernet (VLAN tags skipped), raw IP, Linux cooked v1/v2, BSD loopback.
// Read by `decap` (the outer capture), the live transport tap (each sensor's frames) and Calls' file path.
// `locateIp` finds it in place (offsets into the buffer, nothing allocated: a file has millions of frames);
// `frameIp` makes an IpPacket of it.
import { ipv4Text, ipv6Text } from './address-text.ts';
import type { IpPacket } from './ip-fragments.ts';

/** Where the IP packet's parts are in the frame's buffer. */
export interface IpLocation {
  version: 4 | 6;
  /** The transport protocol (IPv6: after the extension headers). */
  protocol: number;
  srcAt: number;
  dstAt: number;
  /** IPv4 identification or IPv6 fragment id; fragment offset in bytes and the more-fragments flag. */
  id: number;
  offset: number;
  more: boolean;
  payloadAt: number;
  payloadEnd: number;
}

export function newIpLocation(): IpLocation {
  return { version: 4, protocol: 0, srcAt: 0, dstAt: 0, id: 0, offset: 0, more: false, payloadAt: 0, payloadEnd: 0 };
}

/**
 * Finds the IP packet in the frame `b[at, end)` of this link type, into `out`; false when there is none (another
 * link type or ethertype, or cut short before the addresses). Every read is checked against `end`.
 */
export function locateIp(linktype: number, b: Buffer, at: number, end: number, out: IpLocation): boolean {
  switch (linktype) {
    case 1: {
      let typeAt = at + 12;
      while (typeAt + 2 <= end && isVlan(u16(b, typeAt))) typeAt += 4;
      return typeAt + 2 <= end && etherType(b, u16(b, typeAt), typeAt + 2, end, out);
    }
    case 101:
    case 228:
    case 229:
      return ip(b, at, end, out);
    case 113: // Linux cooked: protocol at 14, payload at 16
      return at + 16 <= end && etherType(b, u16(b, at + 14), at + 16, end, out);
    case 276: // Linux cooked v2: protocol at 0, payload at 20
      return at + 20 <= end && etherType(b, u16(b, at), at + 20, end, out);
    case 0: // BSD loopback: a 4-byte address family, then IP
      return ip(b, at + 4, end, out);
    default:
      return false;
  }
}

/** The IP packet inside a link-layer frame, if there is one (VLAN tags skipped; IPv6 extension headers walked). */
export function frameIp(linktype: number, b: Buffer): IpPacket | null {
  const where = newIpLocation();
  if (!locateIp(linktype, b, 0, b.length, where)) return null;
  return {
    src: sourceText(b, where),
    dst: destinationText(b, where),
    protocol: where.protocol,
    id: where.id,
    offset: where.offset,
    more: where.more,
    payload: b.subarray(where.payloadAt, where.payloadEnd),
  };
}

export function sourceText(b: Buffer, where: IpLocation): string {
  return where.version === 4 ? ipv4Text(b, where.srcAt) : ipv6Text(b, where.srcAt);
}

export function destinationText(b: Buffer, where: IpLocation): string {
  return where.version === 4 ? ipv4Text(b, where.dstAt) : ipv6Text(b, where.dstAt);
}

/** Addresses whose text `AddressNames` keeps by default, per family. */
const maxNames = 65_536;

/**
 * Address text for a stream of packets: a capture names the same hosts millions of times, so the text is kept by the
 * address's bytes (bounded per family, the oldest name forgotten first) instead of built per packet.
 */
export class AddressNames {
  readonly #v4 = new Map<number, string>();
  readonly #v6 = new Map<string, string>();
  readonly #limit: number;

  constructor(limit = maxNames) {
    this.#limit = limit;
  }

  source(b: Buffer, where: IpLocation): string {
    return where.version === 4 ? this.ipv4(b, where.srcAt) : this.ipv6(b, where.srcAt);
  }

  destination(b: Buffer, where: IpLocation): string {
    return where.version === 4 ? this.ipv4(b, where.dstAt) : this.ipv6(b, where.dstAt);
  }

  /** The text of the IPv4 address in the 4 bytes at `at`. */
  ipv4(b: Buffer, at: number): string {
    const key = (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!;
    let name = this.#v4.get(key);
    if (name === undefined) {
      name = ipv4Text(b, at);
      this.#keep(this.#v4, key, name);
    }
    return name;
  }

  /** The text of the IPv6 address in the 16 bytes at `at`. */
  ipv6(b: Buffer, at: number): string {
    const key = `${b.readUInt32BE(at)},${b.readUInt32BE(at + 4)},${b.readUInt32BE(at + 8)},${b.readUInt32BE(at + 12)}`;
    let name = this.#v6.get(key);
    if (name === undefined) {
      name = ipv6Text(b, at);
      this.#keep(this.#v6, key, name);
    }
    return name;
  }

  #keep<K>(names: Map<K, string>, key: K, name: string): void {
    if (names.size >= this.#limit) names.delete(names.keys().next().value!);
    names.set(key, name);
  }
}

function u16(b: Buffer, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

function isVlan(type: number): boolean {
  return type === 0x8100 || type === 0x88a8;
}

function etherType(b: Buffer, type: number, at: number, end: number, out: IpLocation): boolean {
  return (type === 0x0800 || type === 0x86dd) && ip(b, at, end, out);
}

function ip(b: Buffer, at: number, end: number, out: IpLocation): boolean {
  if (at >= end) return false;
  const version = b[at]! >> 4;
  if (version === 4) {
    if (end < at + 20) return false; // cut short before the addresses
    const headerLength = (b[at]! & 0x0f) * 4;
    const total = u16(b, at + 2);
    const flags = u16(b, at + 6);
    out.version = 4;
    out.protocol = b[at + 9]!;
    out.srcAt = at + 12;
    out.dstAt = at + 16;
    out.id = u16(b, at + 4);
    out.offset = (flags & 0x1fff) * 8;
    out.more = (flags & 0x2000) !== 0;
    out.payloadAt = Math.min(at + headerLength, end);
    out.payloadEnd = Math.max(out.payloadAt, Math.min(end, at + Math.max(total, headerLength)));
    return true;
  }
  if (version !== 6 || end < at + 40) return false;
  const stop = Math.min(end, at + 40 + u16(b, at + 4));
  let next = b[at + 6]!;
  let p = at + 40;
  out.id = 0;
  out.offset = 0;
  out.more = false;
  // Hop-by-hop, routing, destination options and fragment headers, up to the transport header.
  while ((next === 0 || next === 43 || next === 60 || next === 44) && p + 8 <= stop) {
    if (next === 44) {
      const field = u16(b, p + 2);
      out.offset = field & 0xfff8;
      out.more = (field & 1) === 1;
      out.id = b.readUInt32BE(p + 4);
      next = b[p]!;
      p += 8;
    } else {
      next = b[p]!;
      p += (b[p + 1]! + 1) * 8;
    }
  }
  out.version = 6;
  out.protocol = next;
  out.srcAt = at + 8;
  out.dstAt = at + 24;
  out.payloadAt = Math.min(p, stop);
  out.payloadEnd = stop;
  return true;
}
