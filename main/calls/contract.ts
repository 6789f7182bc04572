import { z } from 'zod';

/** Where a dialog or transaction stands. `rejected` carries its final code in `code`. */
export const callState = z.enum(['trying', 'ringing', 'answered', 'completed', 'cancelled', 'rejected', 'timed-out']);
export type CallState = z.infer<typeof callState>;

/** INVITE dialogs are calls; the other methods that open a dialog or transaction are listed as their own flows. */
export const flowKind = z.enum(['call', 'register', 'options', 'subscribe', 'notify', 'message', 'publish', 'other']);
export type FlowKind = z.infer<typeof flowKind>;

export const callSummary = z.object({
  /** The Call-ID. */
  id: z.string(),
  kind: flowKind,
  /** From and To URIs (display names dropped). */
  from: z.string(),
  to: z.string(),
  /** First and last SIP message, µs since the epoch. */
  startUs: z.number(),
  endUs: z.number(),
  state: callState,
  /** The final response code that decided the state (200, 486, 487…), null while none. */
  code: z.number().nullable(),
  reason: z.string().nullable(),
  /** INVITE → first 180/183, and INVITE → 200, in ms. */
  ringMs: z.number().nullable(),
  answerMs: z.number().nullable(),
  /** 200 OK → BYE, in ms (null until the call ends). */
  durationMs: z.number().nullable(),
  hungUpBy: z.enum(['caller', 'callee']).nullable(),
  /** The last SDP put the call on hold (sendonly/inactive or c=0.0.0.0, RFC 3264 §8.4). */
  onHold: z.boolean(),
  /** The sensors / HEP agents the messages came through. */
  sources: z.array(z.string()),
  messageCount: z.number(),
  retransmissions: z.number(),
  /** Call-IDs of the other legs of the same call (X-CID / X-Call-ID correlation), both ways. */
  legs: z.array(z.string()),
  codecs: z.array(z.string()),
  streams: z.number(),
  /** The lowest MOS of the call's RTP streams, null without media. */
  worstMos: z.number().nullable(),
});
export type CallSummary = z.infer<typeof callSummary>;

export const sipMessage = z.object({
  ts: z.number(),
  src: z.string(),
  sport: z.number(),
  dst: z.string(),
  dport: z.number(),
  transport: z.enum(['udp', 'tcp', 'sctp', 'ws']),
  source: z.string(),
  /** Request method, or null for a response. */
  method: z.string().nullable(),
  code: z.number().nullable(),
  /** The request line or status line. */
  firstLine: z.string(),
  cseq: z.string(),
  retransmission: z.boolean(),
  hasSdp: z.boolean(),
  /** The whole message as text (headers and body), cut at the tracker's per-message limit. */
  text: z.string(),
});
export type SipMessage = z.infer<typeof sipMessage>;

export const streamPoint = z.object({
  /** Second since the stream's first packet. */
  second: z.number(),
  packets: z.number(),
  lost: z.number(),
  /** Jitter at the end of that second, ms. */
  jitterMs: z.number(),
});
export type StreamPoint = z.infer<typeof streamPoint>;

export const rtcpFigures = z.object({
  senderReports: z.number(),
  receiverReports: z.number(),
  /** From the last report block about this stream: fraction lost (0–1), cumulative lost, jitter in ms. */
  fractionLost: z.number().nullable(),
  cumulativeLost: z.number().nullable(),
  jitterMs: z.number().nullable(),
  /** Round trip from LSR/DLSR, ms, when a report block allowed it. */
  roundTripMs: z.number().nullable(),
});
export type RtcpFigures = z.infer<typeof rtcpFigures>;

export const rtpStream = z.object({
  id: z.string(),
  /** The call whose SDP announced it, or null for a stream found by its looks alone. */
  callId: z.string().nullable(),
  src: z.string(),
  sport: z.number(),
  dst: z.string(),
  dport: z.number(),
  ssrc: z.number(),
  payloadType: z.number(),
  codec: z.string(),
  clockRate: z.number(),
  firstUs: z.number(),
  lastUs: z.number(),
  packets: z.number(),
  expected: z.number(),
  /** Expected minus received, as RFC 3550 A.3 and tshark count it (negative with duplicates). */
  lost: z.number(),
  duplicates: z.number(),
  outOfOrder: z.number(),
  meanJitterMs: z.number(),
  maxJitterMs: z.number(),
  maxDeltaMs: z.number(),
  mos: z.number().nullable(),
  rtcp: rtcpFigures.nullable(),
  /** RFC 4733 digits, in order. */
  dtmf: z.string(),
  series: z.array(streamPoint),
});
export type RtpStream = z.infer<typeof rtpStream>;

export const callDetail = callSummary.extend({
  messages: z.array(sipMessage),
  /** Messages not kept because the call passed its per-call limit. */
  messagesDropped: z.number(),
  rtp: z.array(rtpStream),
});
export type CallDetail = z.infer<typeof callDetail>;

export const trackerCounters = z.object({
  packets: z.number(),
  sipMessages: z.number(),
  malformed: z.number(),
  rtpPackets: z.number(),
  rtcpPackets: z.number(),
  /** Calls and streams pushed out by the limits (oldest finished first). */
  evictedCalls: z.number(),
  evictedStreams: z.number(),
  /** TCP / WebSocket bytes thrown away because a flow's buffer passed its limit or the flow table was full. */
  streamBytesDropped: z.number(),
  /** SIP over TCP from captures, put back in sequence order: segments that came early and were held, bytes that came
   * again (retransmitted or overlapping) and were dropped, gaps that never filled and were skipped, and their bytes. */
  tcpOutOfOrder: z.number(),
  tcpRepeatedBytes: z.number(),
  tcpGapsSkipped: z.number(),
  tcpMissingBytes: z.number(),
});
export type TrackerCounters = z.infer<typeof trackerCounters>;

/** A capture file that broke midway: its calls up to the break were read, and this says where and why it broke. */
export const fileWarning = z.object({
  file: z.string(),
  /** Offset of the record or block that could not be read, and its number as a packet (the ones before were read). */
  byte: z.number(),
  packet: z.number(),
  reason: z.string(),
  /** The file ends inside a record (cut short, as a killed writer leaves it) rather than holding bytes that are none. */
  cutShort: z.boolean(),
  /** One line: "FILE: stopped at byte 1,234,567 (packet 9,812): … — the 9,811 packets before it were read". */
  text: z.string(),
});
export type FileWarning = z.infer<typeof fileWarning>;

export const callsStatus = z.object({
  /** Capture files read into the current set, in the order opened. */
  files: z.array(z.string()),
  /** Files of the set that broke midway (read up to the break). */
  warnings: z.array(fileWarning),
  calls: z.number(),
  counters: trackerCounters,
});
export type CallsStatus = z.infer<typeof callsStatus>;

export const callsList = z.object({
  calls: z.array(callSummary),
  /** RTP found without signalling (no SDP seen), listed apart. */
  orphanStreams: z.array(rtpStream),
  counters: trackerCounters,
  /** Changes whenever the calls change; pass it back as `since` to get nothing when nothing changed. */
  version: z.number(),
});
export type CallsList = z.infer<typeof callsList>;

export const exportResult = z.object({
  callId: z.string(),
  packets: z.number(),
  sip: z.number(),
  media: z.number(),
});
export type ExportResult = z.infer<typeof exportResult>;

const files = z.array(z.string().min(1)).min(1);

export const callsMethods = {
  'calls.open': {
    summary: 'Read pcap/pcapng files into the call list (added to what is there; `calls.clear` starts over).',
    params: z.object({ files }).strict(),
    result: callsStatus,
  },
  'calls.clear': { summary: 'Forget every call, stream and file.', params: z.object({}).strict(), result: callsStatus },
  'calls.list': {
    summary: 'Every call and flow (REGISTER, OPTIONS… as their own), oldest first, and the streams without SDP.',
    params: z.object({ since: z.number().optional() }).strict(),
    result: callsList.nullable().describe('null when nothing changed since `since`'),
  },
  'calls.detail': {
    summary: 'One call: its messages (for the ladder and the full text), its RTP streams with per-second jitter and loss.',
    params: z.object({ id: z.string().min(1) }).strict(),
    result: callDetail,
  },
  'calls.export': {
    summary: "Write exactly one call's SIP and RTP/RTCP from the opened files into a new pcapng.",
    params: z.object({ id: z.string().min(1), output: z.string().min(1) }).strict(),
    result: exportResult,
  },
  'calls.openInWireshark': {
    summary: 'Open a capture file (an exported call) in Wireshark on this machine.',
    params: z.object({ path: z.string().min(1).max(4096) }).strict(),
    result: z.object({ command: z.array(z.string()) }),
  },
} as const;

export const callsStreams = {} as const;

/** calls's requests and event streams, joined into the contract by contract/index.ts (found by folder). */
export const contract = { methods: callsMethods, streams: callsStreams } as const;

declare module '../contract/registry.ts' {
  interface ToolContracts {
    calls: typeof contract;
  }
}
