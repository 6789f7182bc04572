// An RTCP compound packet as the JSON report HOMER stores for HEP payload type 5. Field names and value forms
// follow heplify (sipcapture/heplify protos/rtcp.go), which heplify-server reads: sender info always present
// (zeros in an RR), the cumulative loss as its raw 24-bit field, the fraction as its raw byte, the XR block
// zeroed (no XR is read here). Unlike heplify, `type` and `report_count` are the report's (SR/RR), not those of
// the compound's last packet (usually SDES), so HOMER shows what the report is.
import { parseRtcp } from '../../system/rtcp.ts';

/** The JSON report, or null when the payload is not RTCP (its first packet must be SR or RR). */
export function rtcpJson(payload: Uint8Array): string | null {
  const compound = parseRtcp(payload);
  const first = compound?.reports[0];
  if (!compound || !first) return null;
  const blocks = compound.reports.flatMap((r) => r.blocks);
  const s = first.sender;
  return JSON.stringify({
    sender_information: {
      ntp_timestamp_sec: s?.ntpSeconds ?? 0,
      ntp_timestamp_usec: s?.ntpFraction ?? 0,
      rtp_timestamp: s?.rtpTimestamp ?? 0,
      packets: s?.packets ?? 0,
      octets: s?.octets ?? 0,
    },
    ssrc: first.ssrc,
    type: first.type === 'sr' ? 200 : 201,
    report_count: blocks.length,
    report_blocks: blocks.map((b) => ({
      source_ssrc: b.ssrc,
      fraction_lost: Math.round(b.fractionLost * 256),
      packets_lost: b.cumulativeLost & 0xffffff,
      highest_seq_no: b.highestSeq,
      ia_jitter: b.jitter,
      lsr: b.lsr,
      dlsr: b.dlsr,
    })),
    report_blocks_xr: {
      type: 0,
      id: 0,
      fraction_lost: 0,
      fraction_discard: 0,
      burst_density: 0,
      gap_density: 0,
      burst_duration: 0,
      gap_duration: 0,
      round_trip_delay: 0,
      end_system_delay: 0,
    },
    sdes_ssrc: compound.sdesSsrc ?? 0,
  });
}
