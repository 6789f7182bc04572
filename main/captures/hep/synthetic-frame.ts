// A HEP message carries a packet's addresses, ports and payload but not the packet: rebuild it as an
// Ethernet/IPv4|IPv6/UDP|TCP|SCTP frame so it sits in the pcapng beside TZSP frames and Wireshark dissects it as
// if captured. TCP gets a running sequence number per flow (bounded table) so Wireshark's reassembly follows it;
// an SCTP message is one unfragmented DATA chunk (TSN from the same table). Transport checksums are left zero
// (Wireshark checks none by default); the IPv4 header checksum is set.
import net from 'node:net';
import { expandIpv6 } from './hep-encode.ts';

export interface FrameInput {
  protocol: number;
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload: Buffer;
}

const ethernet = 14;
const maxFlows = 4096;

export class SyntheticFrames {
  #scratch = Buffer.alloc(2048);
  /** Next TCP sequence number or SCTP TSN per flow, oldest first for eviction. */
  readonly #seq = new Map<string, number>();

  /** The frame, in a buffer reused by the next call; null when the payload cannot fit one IP packet. */
  build(m: FrameInput): Buffer | null {
    const v6 = net.isIPv6(m.src) || net.isIPv6(m.dst);
    const tcp = m.protocol === 6;
    const sctp = m.protocol === 132;
    const ipHeader = v6 ? 40 : 20;
    const transport = tcp ? 20 : sctp ? 12 + 16 : 8;
    const padding = sctp ? -m.payload.length & 3 : 0;
    const ipLength = ipHeader + transport + m.payload.length + padding;
    if ((v6 ? ipLength - 40 : ipLength) > 0xffff) return null;
    const size = ethernet + ipLength;
    if (size > this.#scratch.length) this.#scratch = Buffer.alloc(Math.max(size, this.#scratch.length * 2));
    const b = this.#scratch.subarray(0, size);
    b.fill(0, 0, ethernet + ipHeader + transport);
    b.fill(0, size - padding, size);
    b[0] = 0x02; // locally administered MACs: 02:00:00:00:00:02 → 02:00:00:00:00:01
    b[5] = 0x01;
    b[6] = 0x02;
    b[11] = 0x02;
    b.writeUInt16BE(v6 ? 0x86dd : 0x0800, 12);
    const ip = ethernet;
    const protocol = tcp ? 6 : sctp ? 132 : 17;
    if (v6) {
      b[ip] = 0x60;
      b.writeUInt16BE(ipLength - 40, ip + 4);
      b[ip + 6] = protocol;
      b[ip + 7] = 64;
      writeV6(b, ip + 8, m.src);
      writeV6(b, ip + 24, m.dst);
    } else {
      b[ip] = 0x45;
      b.writeUInt16BE(ipLength, ip + 2);
      b.writeUInt16BE(0x4000, ip + 6); // don't fragment
      b[ip + 8] = 64;
      b[ip + 9] = protocol;
      writeV4(b, ip + 12, m.src);
      writeV4(b, ip + 16, m.dst);
      b.writeUInt16BE(ipv4Checksum(b, ip), ip + 10);
    }
    const t = ip + ipHeader;
    b.writeUInt16BE(m.sport, t);
    b.writeUInt16BE(m.dport, t + 2);
    if (tcp) {
      b.writeUInt32BE(this.#nextSeq(m), t + 4);
      b[t + 12] = 0x50; // header length 20
      b[t + 13] = 0x18; // PSH, ACK
      b.writeUInt16BE(0xffff, t + 14);
    } else if (sctp) {
      b[t + 13] = 0x03; // DATA, beginning and end: the whole message (PPID 0, stream 0)
      b.writeUInt16BE(16 + m.payload.length, t + 14);
      b.writeUInt32BE(this.#nextSeq(m, 1), t + 16);
    } else {
      b.writeUInt16BE(transport + m.payload.length, t + 4);
    }
    m.payload.copy(b, t + transport);
    return b;
  }

  /** The flow's next TCP sequence number (advancing by the payload) or SCTP TSN (advancing by one). */
  #nextSeq(m: FrameInput, step = m.payload.length): number {
    const key = `${m.protocol}|${m.src}|${m.sport}|${m.dst}|${m.dport}`;
    const seq = this.#seq.get(key) ?? 1;
    this.#seq.delete(key); // re-inserted last: the map stays in least-recently-used order
    if (this.#seq.size >= maxFlows) this.#seq.delete(this.#seq.keys().next().value!);
    this.#seq.set(key, (seq + step) >>> 0);
    return seq;
  }
}

function writeV4(b: Buffer, at: number, address: string): void {
  const parts = address.split('.');
  for (let i = 0; i < 4; i++) b[at + i] = Number(parts[i]) & 0xff;
}

function writeV6(b: Buffer, at: number, address: string): void {
  if (net.isIPv4(address)) {
    b.writeUInt16BE(0xffff, at + 10); // an IPv4 end of a mixed pair, as a mapped address
    writeV4(b, at + 12, address);
    return;
  }
  const words = expandIpv6(address);
  for (let i = 0; i < 8; i++) b.writeUInt16BE(words[i]!, at + i * 2);
}

function ipv4Checksum(b: Buffer, at: number): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += b.readUInt16BE(at + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
