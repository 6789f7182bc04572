// RTCP compound packets (RFC 3550 §6.4): sender and receiver reports with their report blocks, and the first SDES
// chunk's source. Every length is checked against the bytes there; a packet that does not add up is not RTCP.
// Read by Calls (stream figures) and by HEP forwarding (the JSON report HOMER stores).

export interface ReportBlock {
  /** The RTP stream this block reports about. */
  ssrc: number;
  fractionLost: number;
  /** 24-bit two's complement, sign applied. */
  cumulativeLost: number;
  /** Extended highest sequence number received. */
  highestSeq: number;
  /** Interarrival jitter in RTP timestamp units. */
  jitter: number;
  lsr: number;
  dlsr: number;
}

/** An SR's sender info: the NTP timestamp's two words, the RTP timestamp, packets and octets sent. */
export interface SenderInfo {
  ntpSeconds: number;
  ntpFraction: number;
  rtpTimestamp: number;
  packets: number;
  octets: number;
}

export interface RtcpReport {
  type: 'sr' | 'rr';
  /** Who sent the report. */
  ssrc: number;
  /** SR only: the middle 32 bits of its NTP timestamp (what a later LSR echoes), else -1. */
  ntpMiddle: number;
  /** SR only, else null. */
  sender: SenderInfo | null;
  blocks: ReportBlock[];
}

export interface RtcpCompound {
  reports: RtcpReport[];
  /** The source of the first SDES chunk, null when the compound has none. */
  sdesSsrc: number | null;
}

/** The SR/RR packets of an RTCP compound packet; null when it is not RTCP (the first packet must be SR or RR). */
export function parseRtcp(b: Uint8Array): RtcpCompound | null {
  if (b.length < 8 || b[0]! >> 6 !== 2 || (b[1] !== 200 && b[1] !== 201)) return null;
  const compound: RtcpCompound = { reports: [], sdesSsrc: null };
  let at = 0;
  while (at + 4 <= b.length) {
    if (b[at]! >> 6 !== 2) return null;
    const count = b[at]! & 0x1f;
    const pt = b[at + 1]!;
    const end = at + (((b[at + 2]! << 8) | b[at + 3]!) + 1) * 4;
    if (end > b.length) return null;
    if (pt === 200 || pt === 201) {
      const fixed = pt === 200 ? 28 : 8;
      if (at + fixed + count * 24 > end) return null;
      const report: RtcpReport = {
        type: pt === 200 ? 'sr' : 'rr',
        ssrc: u32(b, at + 4),
        ntpMiddle: pt === 200 ? ((u32(b, at + 8) & 0xffff) * 0x10000 + (u32(b, at + 12) >>> 16)) >>> 0 : -1,
        sender:
          pt === 200
            ? {
                ntpSeconds: u32(b, at + 8),
                ntpFraction: u32(b, at + 12),
                rtpTimestamp: u32(b, at + 16),
                packets: u32(b, at + 20),
                octets: u32(b, at + 24),
              }
            : null,
        blocks: [],
      };
      for (let i = 0, p = at + fixed; i < count; i++, p += 24) {
        let lost = (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!;
        if (lost & 0x800000) lost -= 0x1000000; // 24-bit two's complement
        report.blocks.push({
          ssrc: u32(b, p),
          fractionLost: b[p + 4]! / 256,
          cumulativeLost: lost,
          highestSeq: u32(b, p + 8),
          jitter: u32(b, p + 12),
          lsr: u32(b, p + 16),
          dlsr: u32(b, p + 20),
        });
      }
      compound.reports.push(report);
    } else if (pt === 202 && count > 0 && end >= at + 8 && compound.sdesSsrc === null) compound.sdesSsrc = u32(b, at + 4);
    at = end;
  }
  return compound;
}

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
