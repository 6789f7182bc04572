// A one-line decode of a captured frame (Ethernet, VLAN, ARP, IPv4/IPv6, ICMP, TCP, UDP, SCTP, DNS,
// SIP's first line) — enough to see traffic flows before opening Wireshark. Never throws.
import { ipv4Text, ipv6Text, macText } from './address-text.ts';

export interface PacketLine {
  src: string;
  dst: string;
  protocol: string;
  info: string;
}

export function summarize(linktype: number, frame: Buffer): PacketLine {
  try {
    switch (linktype) {
      case 1:
        return ethernet(frame);
      case 101:
        return ip(frame, 0) ?? unknown('IP', 'not IPv4 or IPv6');
      case 105:
        return wlan(frame, 0);
      case 127:
        return frame.length >= 4 ? wlan(frame, frame.readUInt16LE(2)) : unknown('radiotap', 'truncated');
      default:
        return unknown(`DLT ${linktype}`, `${frame.length} bytes`);
    }
  } catch {
    return unknown('?', 'truncated or malformed');
  }
}

function unknown(protocol: string, info: string): PacketLine {
  return { src: '', dst: '', protocol, info };
}

function ethernet(b: Buffer): PacketLine {
  const src = macText(b, 6);
  const dst = macText(b, 0);
  let type = b.readUInt16BE(12);
  let at = 14;
  const vlans: number[] = [];
  while ((type === 0x8100 || type === 0x88a8) && at + 4 <= b.length) {
    vlans.push(b.readUInt16BE(at) & 0x0fff);
    type = b.readUInt16BE(at + 2);
    at += 4;
  }
  const tag = vlans.length > 0 ? `[VLAN ${vlans.join('/')}] ` : '';
  let line: PacketLine;
  if (type === 0x0806) line = arp(b, at, src, dst);
  else if (type === 0x0800 || type === 0x86dd) line = ip(b, at) ?? { src, dst, protocol: 'IP', info: 'truncated' };
  else if (type <= 1500) line = { src, dst, protocol: 'LLC', info: `802.3 length ${type}` };
  else line = { src, dst, protocol: `0x${type.toString(16).padStart(4, '0')}`, info: `EtherType 0x${type.toString(16).padStart(4, '0')}` };
  return { ...line, info: tag + line.info };
}

function arp(b: Buffer, at: number, src: string, dst: string): PacketLine {
  const op = b.readUInt16BE(at + 6);
  const senderIp = ipv4Text(b, at + 14);
  const targetIp = ipv4Text(b, at + 24);
  if (op === 1) return { src, dst, protocol: 'ARP', info: `Who has ${targetIp}? Tell ${senderIp}` };
  if (op === 2) return { src, dst, protocol: 'ARP', info: `${senderIp} is at ${macText(b, at + 8)}` };
  return { src, dst, protocol: 'ARP', info: `operation ${op}` };
}

function ip(b: Buffer, at: number): PacketLine | null {
  const version = b[at]! >> 4;
  if (version === 4) {
    const headerLength = (b[at]! & 0x0f) * 4;
    const total = b.readUInt16BE(at + 2);
    const fragment = b.readUInt16BE(at + 6);
    const src = ipv4Text(b, at + 12);
    const dst = ipv4Text(b, at + 16);
    const end = Math.min(b.length, at + Math.max(total, headerLength));
    if ((fragment & 0x1fff) !== 0) return { src, dst, protocol: 'IPv4', info: `fragment at offset ${(fragment & 0x1fff) * 8}` };
    return transport(b, b[at + 9]!, at + headerLength, end, src, dst, 4);
  }
  if (version === 6) {
    const src = ipv6Text(b, at + 8);
    const dst = ipv6Text(b, at + 24);
    let next = b[at + 6]!;
    let p = at + 40;
    const end = Math.min(b.length, p + b.readUInt16BE(at + 4));
    // Hop-by-hop, routing, destination options: skip to the transport header.
    while ((next === 0 || next === 43 || next === 60 || next === 44) && p + 8 <= end) {
      if (next === 44) {
        if ((b.readUInt16BE(p + 2) & 0xfff8) !== 0) return { src, dst, protocol: 'IPv6', info: 'fragment' };
        next = b[p]!;
        p += 8;
      } else {
        const length = (b[p + 1]! + 1) * 8;
        next = b[p]!;
        p += length;
      }
    }
    return transport(b, next, p, end, src, dst, 6);
  }
  return null;
}

const tcpFlagNames = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'];
const icmpTypes: Record<number, string> = {
  0: 'Echo reply',
  3: 'Destination unreachable',
  5: 'Redirect',
  8: 'Echo request',
  11: 'Time exceeded',
};
const icmp6Types: Record<number, string> = {
  1: 'Destination unreachable',
  3: 'Time exceeded',
  128: 'Echo request',
  129: 'Echo reply',
  133: 'Router solicitation',
  134: 'Router advertisement',
  135: 'Neighbor solicitation',
  136: 'Neighbor advertisement',
};
const sctpChunks: Record<number, string> = {
  0: 'DATA',
  1: 'INIT',
  2: 'INIT_ACK',
  3: 'SACK',
  4: 'HEARTBEAT',
  5: 'HEARTBEAT_ACK',
  6: 'ABORT',
  7: 'SHUTDOWN',
  10: 'COOKIE_ECHO',
  11: 'COOKIE_ACK',
};

function transport(b: Buffer, protocol: number, at: number, end: number, src: string, dst: string, version: 4 | 6): PacketLine {
  const ipName = `IPv${version}`;
  switch (protocol) {
    case 1:
    case 58: {
      const type = b[at]!;
      const names = protocol === 1 ? icmpTypes : icmp6Types;
      const name = protocol === 1 ? 'ICMP' : 'ICMPv6';
      const echo = (protocol === 1 && (type === 0 || type === 8)) || (protocol === 58 && (type === 128 || type === 129));
      const detail = echo ? ` id=${b.readUInt16BE(at + 4)} seq=${b.readUInt16BE(at + 6)}` : '';
      return { src, dst, protocol: name, info: `${names[type] ?? `type ${type}`}${detail}` };
    }
    case 6: {
      const sport = b.readUInt16BE(at);
      const dport = b.readUInt16BE(at + 2);
      const flags = b[at + 13]!;
      const offset = (b[at + 12]! >> 4) * 4;
      const payload = b.subarray(at + offset, end);
      const sip = sport === 5060 || dport === 5060 ? sipLine(payload) : null;
      if (sip) return { src, dst, protocol: 'SIP', info: sip };
      const names = tcpFlagNames.filter((_, i) => flags & (1 << i)).join(',');
      return { src, dst, protocol: 'TCP', info: `${sport} → ${dport} [${names}] seq=${b.readUInt32BE(at + 4)} len=${payload.length}` };
    }
    case 17: {
      const sport = b.readUInt16BE(at);
      const dport = b.readUInt16BE(at + 2);
      const payload = b.subarray(at + 8, end);
      if (sport === 53 || dport === 53 || sport === 5353 || dport === 5353) {
        const dns = dnsLine(payload);
        if (dns) return { src, dst, protocol: sport === 5353 || dport === 5353 ? 'MDNS' : 'DNS', info: dns };
      }
      if (sport === 5060 || dport === 5060) {
        const sip = sipLine(payload);
        if (sip) return { src, dst, protocol: 'SIP', info: sip };
      }
      return { src, dst, protocol: 'UDP', info: `${sport} → ${dport} len=${payload.length}` };
    }
    case 132: {
      const chunk = b[at + 12];
      const name = chunk === undefined ? 'no chunks' : (sctpChunks[chunk] ?? `chunk ${chunk}`);
      return { src, dst, protocol: 'SCTP', info: `${b.readUInt16BE(at)} → ${b.readUInt16BE(at + 2)} ${name}` };
    }
    default:
      return { src, dst, protocol: ipName, info: `protocol ${protocol}` };
  }
}

const dnsTypes: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  65: 'HTTPS',
  255: 'ANY',
};

function dnsLine(b: Buffer): string | null {
  if (b.length < 12) return null;
  const id = b.readUInt16BE(0);
  const response = (b[2]! & 0x80) !== 0;
  const rcode = b[3]! & 0x0f;
  const questions = b.readUInt16BE(4);
  let name = '';
  let type = '';
  if (questions > 0) {
    const labels: string[] = [];
    let at = 12;
    while (at < b.length && b[at]! !== 0 && labels.length < 64) {
      const length = b[at]!;
      if (length >= 0xc0) break;
      labels.push(b.toString('latin1', at + 1, at + 1 + length));
      at += 1 + length;
    }
    name = labels.join('.') || '<root>';
    if (at + 3 <= b.length) {
      const t = b.readUInt16BE(at + 1);
      type = dnsTypes[t] ?? `TYPE${t}`;
    }
  }
  const what = `${type} ${name}`.trim();
  return response
    ? `Standard query response 0x${id.toString(16).padStart(4, '0')}${rcode ? ` error ${rcode}` : ''} ${what}`
    : `Standard query 0x${id.toString(16).padStart(4, '0')} ${what}`;
}

function sipLine(b: Buffer): string | null {
  const end = b.indexOf('\r\n');
  const first = b.toString('latin1', 0, end > 0 ? Math.min(end, 200) : Math.min(b.length, 200));
  return /^(SIP\/2\.0 \d{3} |[A-Z]+ \S+ SIP\/2\.0$)/.test(first) ? first : null;
}

const wlanTypes = ['Management', 'Control', 'Data', 'Extension'];
const wlanManagement: Record<number, string> = {
  0: 'Association request',
  1: 'Association response',
  4: 'Probe request',
  5: 'Probe response',
  8: 'Beacon',
  10: 'Disassociation',
  11: 'Authentication',
  12: 'Deauthentication',
};

function wlan(b: Buffer, at: number): PacketLine {
  const fc = b[at]!;
  const type = (fc >> 2) & 3;
  const subtype = fc >> 4;
  const dst = macText(b, at + 4);
  const src = at + 16 <= b.length ? macText(b, at + 10) : '';
  const name = type === 0 ? (wlanManagement[subtype] ?? `Management subtype ${subtype}`) : `${wlanTypes[type]} subtype ${subtype}`;
  return { src, dst, protocol: '802.11', info: name };
}
