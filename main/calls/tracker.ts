// The call tracker: SIP dialogs and transactions and their RTP/RTCP streams, fed one packet at a time from any
// source (a capture file, TZSP sensors, HEP agents). Everything it holds is bounded by TrackerLimits; what the
// limits push out is counted. On the packet path (RTP, the bulk of the traffic) a packet costs two Map lookups
// keyed by values the packet already carries, and no allocation.
import type { CallDetail, CallState, CallSummary, FlowKind, RtpStream, SipMessage, TrackerCounters } from '../calls/contract.ts';
import type { CapturedPacket } from './packet.ts';
import { parseRtcp } from '../system/rtcp.ts';
import { type RtpHeader, RtpStreamStats, readRtpHeader } from './rtp-stream.ts';
import { parseSdp, type SdpCodec } from './sdp.ts';
import { headerEnd, looksLikeSip, maxHeaderBytes, parseSipHead, type SipHead } from './sip-message.ts';
import { type FramedMessage, SipStreams } from './sip-stream.ts';
import { SipTally, type SipTallyFigures } from './sip-tally.ts';

export interface TrackerLimits {
  /** Dialogs and transactions kept; past it the oldest finished one goes (then the oldest at all). */
  maxCalls: number;
  /** SIP messages kept per call (the counters go on); 0 keeps none (the CLI's list and stats show none). */
  maxMessagesPerCall: number;
  /** Transactions remembered per call to tell retransmissions apart (kept whether or not messages are). */
  maxTransactionsPerCall: number;
  /** RTP streams kept (with and without SDP). */
  maxStreams: number;
  /** Of those, streams without SDP: stray UDP that merely looks like RTP must not push out the calls' streams. */
  maxOrphanStreams: number;
  /** Characters of each message's text kept for the detail view (0 keeps none: the CLI's list needs none). */
  maxMessageText: number;
  /** Messages kept over all calls, and the characters of their text: past either, the oldest calls go. */
  maxKeptMessages: number;
  maxKeptText: number;
  /** An INVITE with no final answer after this long (µs, capture clock) is timed out (Timer B: 64 × T1). */
  timeoutUs: number;
}

export const defaultTrackerLimits: TrackerLimits = {
  maxCalls: 50_000,
  maxMessagesPerCall: 500,
  maxTransactionsPerCall: 1000,
  maxStreams: 100_000,
  maxOrphanStreams: 2000,
  maxMessageText: 8192,
  maxKeptMessages: 500_000,
  maxKeptText: 64 * 1024 * 1024,
  timeoutUs: 32_000_000,
};

/** Packets a stream without SDP must show in sequence before it is listed (RTP's look is easy to fake by chance). */
const orphanConfirmPackets = 4;
/** Media sessions remembered per receiving address:port (SIPp and PBXs reuse one port for call after call). */
const sessionsPerEndpoint = 8;

interface Call {
  id: string;
  kind: FlowKind;
  from: string;
  to: string;
  callerTag: string;
  startUs: number;
  endUs: number;
  state: CallState;
  code: number | null;
  reason: string | null;
  inviteUs: number;
  ringUs: number;
  answerUs: number;
  byeUs: number;
  hungUpBy: 'caller' | 'callee' | null;
  cancelled: boolean;
  onHold: boolean;
  sources: Set<string>;
  messageCount: number;
  retransmissions: number;
  messages: SipMessage[];
  messagesDropped: number;
  /** Characters of text held in `messages`. */
  textLength: number;
  /** Transaction keys seen (branch, CSeq, method, code, sender), for retransmissions; bounded by maxTransactionsPerCall. */
  seen: Set<string>;
  legs: Set<string>;
  streams: RtpStreamStats[];
  /** The media addresses each side announced ("addr port"), to pick the right call on a shared port. */
  mediaEndpoints: Set<string>;
}

interface MediaSession {
  call: Call;
  codecs: ReadonlyMap<number, SdpCodec>;
  rtcpPort: number;
}

interface Endpoint {
  sessions: MediaSession[];
  /** Streams arriving here, by SSRC then source port (almost always one each). */
  streams: RtpStreamStats[];
}

const finished = new Set<CallState>(['completed', 'cancelled', 'rejected', 'timed-out']);

export class CallTracker {
  readonly #limits: TrackerLimits;
  readonly #calls = new Map<string, Call>();
  /** Receiving port → receiving address → what was announced there and what arrived. */
  readonly #endpoints = new Map<number, Map<string, Endpoint>>();
  /** RTCP ports announced in SDP → the address → the session. */
  readonly #rtcpEndpoints = new Map<number, Map<string, MediaSession>>();
  /** Every stream, oldest first, for the stream limit. */
  readonly #streams = new Map<string, RtpStreamStats>();
  /** The streams without a call, oldest first, for their own limit. */
  readonly #orphans = new Map<string, RtpStreamStats>();
  /** Streams by SSRC, for RTCP report blocks. */
  readonly #bySsrc = new Map<number, RtpStreamStats[]>();
  /** Legs named by an X-CID before their own Call-ID was seen. */
  readonly #pendingLegs = new Map<string, Set<string>>();
  readonly #stream: SipStreams;
  readonly #header: RtpHeader = { payloadType: 0, marker: false, seq: 0, timestamp: 0, ssrc: 0, payloadAt: 0, payloadEnd: 0 };
  #counters: TrackerCounters = {
    packets: 0,
    sipMessages: 0,
    malformed: 0,
    rtpPackets: 0,
    rtcpPackets: 0,
    evictedCalls: 0,
    evictedStreams: 0,
    streamBytesDropped: 0,
    tcpOutOfOrder: 0,
    tcpRepeatedBytes: 0,
    tcpGapsSkipped: 0,
    tcpMissingBytes: 0,
  };
  readonly #tally = new SipTally();
  #version = 0;
  #streamSeq = 0;
  #keptMessages = 0;
  #keptText = 0;

  constructor(limits: Partial<TrackerLimits> = {}) {
    this.#limits = { ...defaultTrackerLimits, ...limits };
    this.#stream = new SipStreams((p, m) => this.#message(p, m.head, m.bytes, m.bodyAt, m.transport));
  }

  /** One packet from any source: SIP (UDP, TCP, WebSocket), RTP or RTCP; anything else is counted and dropped. */
  feed(p: CapturedPacket): void {
    this.#counters.packets++;
    const b = p.payload;
    if (p.transport === 'tcp') {
      this.#stream.push(p);
      this.#streamCounters();
      return;
    }
    if (b.length === 0) return;
    const first = b[0]!;
    if (first >> 6 === 2) {
      if (this.#media(p)) return;
    }
    if (looksLikeSip(b, 0, b.length)) this.#datagram(p);
  }

  #udpMalformed = 0;

  #streamCounters(): void {
    const c = this.#counters;
    const s = this.#stream;
    c.malformed = s.malformed + this.#udpMalformed;
    c.streamBytesDropped = s.bytesDropped;
    c.tcpOutOfOrder = s.tcp.outOfOrder;
    c.tcpRepeatedBytes = s.tcp.repeatedBytes;
    c.tcpGapsSkipped = s.tcp.gapsSkipped;
    c.tcpMissingBytes = s.tcp.missingBytes;
  }

  /** The capture is over: TCP segments still held behind a gap are framed (the gap skipped and counted). */
  flush(): void {
    this.#stream.flush();
    this.#streamCounters();
  }

  /**
   * Marks INVITEs and transactions still unanswered after `timeoutUs` as timed out, and gives up on TCP gaps past
   * their timeout; `nowUs` on the capture clock.
   */
  tick(nowUs: number): void {
    this.#stream.expire(nowUs);
    this.#streamCounters();
    for (const call of this.#calls.values()) {
      if ((call.state === 'trying' || call.state === 'ringing') && nowUs - call.startUs > this.#limits.timeoutUs) {
        call.state = 'timed-out';
        this.#version++;
      }
    }
  }

  /** Every call and flow, oldest first. */
  calls(): CallSummary[] {
    return [...this.#calls.values()].map((c) => summary(c));
  }

  call(id: string): CallDetail | undefined {
    const c = this.#calls.get(id);
    if (!c) return undefined;
    return {
      ...summary(c),
      messages: c.messages.slice(),
      messagesDropped: c.messagesDropped,
      rtp: c.streams.map((s) => s.snapshot()),
    };
  }

  /** Every RTP stream with its call (or none), without the per-second series; for `calls stats`. */
  streams(): RtpStream[] {
    const out: RtpStream[] = [];
    for (const s of this.#streams.values()) if (s.callId !== null || s.packets >= orphanConfirmPackets) out.push(s.snapshot(false));
    return out;
  }

  /** RTP streams found without SDP (by their looks), listed apart from the calls. */
  orphanStreams(): RtpStream[] {
    const out: RtpStream[] = [];
    for (const s of this.#streams.values())
      if (s.callId === null && s.packets >= orphanConfirmPackets && s.expected - s.packets < s.packets) out.push(s.snapshot());
    return out;
  }

  /** Messages by method and code, as `tshark -z sip,stat` gives them (every message, not only those kept). */
  sipFigures(): SipTallyFigures {
    return this.#tally.figures();
  }

  counters(): TrackerCounters {
    return { ...this.#counters };
  }

  /** Goes up on every change to the calls (not on every RTP packet), so a live view can poll cheaply. */
  version(): number {
    return this.#version;
  }

  #datagram(p: CapturedPacket): void {
    const b = Buffer.from(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength);
    const end = headerEnd(b, 0, Math.min(b.length, maxHeaderBytes));
    const head = end < 0 ? null : parseSipHead(b, 0, end);
    if (!head) {
      this.#udpMalformed++;
      this.#counters.malformed++;
      return;
    }
    const bodyEnd = head.contentLength >= 0 ? Math.min(b.length, end + head.contentLength) : b.length;
    this.#message(p, head, b.subarray(0, bodyEnd), end, p.transport === 'sctp' ? 'sctp' : 'udp');
  }

  #message(p: CapturedPacket, head: SipHead, bytes: Buffer, bodyAt: number, transport: FramedMessage['transport'] | 'udp' | 'sctp'): void {
    this.#counters.sipMessages++;
    this.#version++;
    const call = this.#callFor(head, p.ts);
    call.endUs = Math.max(call.endUs, p.ts);
    call.messageCount++;
    call.sources.add(p.source);
    const key = flat(head.branch, head.cseq, head.cseqMethod, head.code, p.src, p.sport);
    const retransmission = call.seen.has(key);
    this.#tally.add(head, retransmission);
    if (retransmission) call.retransmissions++;
    else if (call.seen.size < this.#limits.maxTransactionsPerCall) call.seen.add(key);
    // A body without Content-Type counts as SDP only if it starts like one (some UAs leave the header out).
    const hasSdp =
      bodyAt + 2 <= bytes.length &&
      (head.contentType.startsWith('application/sdp') || (head.contentType === '' && bytes[bodyAt] === 0x76 && bytes[bodyAt + 1] === 0x3d));
    if (call.messages.length < this.#limits.maxMessagesPerCall) {
      const text = this.#limits.maxMessageText > 0 ? bytes.toString('latin1', 0, Math.min(bytes.length, this.#limits.maxMessageText)) : '';
      call.textLength += text.length;
      this.#keptText += text.length;
      this.#keptMessages++;
      call.messages.push({
        ts: p.ts,
        src: p.src,
        sport: p.sport,
        dst: p.dst,
        dport: p.dport,
        transport,
        source: p.source,
        method: head.method,
        code: head.code || null,
        firstLine: own(head.firstLine),
        cseq: `${head.cseq} ${head.cseqMethod}`,
        retransmission,
        hasSdp,
        text,
      });
      while ((this.#keptMessages > this.#limits.maxKeptMessages || this.#keptText > this.#limits.maxKeptText) && this.#evictCall(call));
    } else call.messagesDropped++;
    if (head.correlation) this.#link(call, own(head.correlation));
    if (!retransmission) this.#advance(call, head, p.ts);
    if (hasSdp) this.#sdp(call, bytes.toString('latin1', bodyAt, bytes.length));
  }

  #callFor(head: SipHead, ts: number): Call {
    let call = this.#calls.get(head.callId);
    if (call) {
      if (call.kind !== 'call' && head.method === 'INVITE') call.kind = 'call';
      return call;
    }
    if (this.#calls.size >= this.#limits.maxCalls) this.#evictCall();
    call = {
      id: own(head.callId),
      kind: kindOf(head.method ?? head.cseqMethod),
      from: own(head.from),
      to: own(head.to),
      callerTag: head.method ? own(head.fromTag) : '',
      startUs: ts,
      endUs: ts,
      state: 'trying',
      code: null,
      reason: null,
      inviteUs: -1,
      ringUs: -1,
      answerUs: -1,
      byeUs: -1,
      hungUpBy: null,
      cancelled: false,
      onHold: false,
      sources: new Set(),
      messageCount: 0,
      retransmissions: 0,
      messages: [],
      messagesDropped: 0,
      textLength: 0,
      seen: new Set(),
      legs: new Set(),
      streams: [],
      mediaEndpoints: new Set(),
    };
    this.#calls.set(call.id, call);
    const waiting = this.#pendingLegs.get(call.id);
    if (waiting) {
      this.#pendingLegs.delete(call.id);
      for (const other of waiting) call.legs.add(other);
    }
    return call;
  }

  /** The oldest finished call goes first (looking at the 64 oldest), else the oldest at all but `keep`; false when none could go. */
  #evictCall(keep?: Call): boolean {
    let victim: Call | undefined;
    let looked = 0;
    for (const c of this.#calls.values()) {
      if (c === keep) continue;
      victim ??= c;
      if (finished.has(c.state)) {
        victim = c;
        break;
      }
      if (++looked >= 64) break;
    }
    if (!victim) return false;
    this.#calls.delete(victim.id);
    this.#counters.evictedCalls++;
    this.#keptMessages -= victim.messages.length;
    this.#keptText -= victim.textLength;
    for (const s of victim.streams) this.#dropStream(s);
    return true;
  }

  #link(call: Call, other: string): void {
    if (other === call.id || call.legs.has(other)) return;
    call.legs.add(other);
    const leg = this.#calls.get(other);
    if (leg) leg.legs.add(call.id);
    else {
      if (this.#pendingLegs.size >= this.#limits.maxCalls) this.#pendingLegs.delete(this.#pendingLegs.keys().next().value!);
      const waiting = this.#pendingLegs.get(other) ?? new Set();
      waiting.add(call.id);
      this.#pendingLegs.set(other, waiting);
    }
  }

  /** The dialog's state machine (RFC 3261 §13–15), for INVITE dialogs and the other methods' transactions. */
  #advance(call: Call, head: SipHead, ts: number): void {
    if (call.kind !== 'call') {
      if (head.method) {
        if (head.method === call.kind.toUpperCase() && finished.has(call.state) && call.code !== null && call.code >= 400) {
          call.state = 'trying'; // a retry after a challenge (401/407)
        }
        return;
      }
      if (head.code >= 200) {
        call.state = head.code < 300 ? 'completed' : 'rejected';
        call.code = head.code;
        call.reason = own(head.reason);
      }
      return;
    }
    if (head.method === 'INVITE') {
      if (!head.toTag) {
        if (call.inviteUs < 0) call.inviteUs = ts;
        call.callerTag ||= own(head.fromTag); // when the capture began with a response, the caller is known only now
        if (call.state === 'rejected' || call.state === 'timed-out') call.state = 'trying';
      }
      return;
    }
    if (head.method === 'CANCEL') {
      if (call.answerUs < 0) {
        call.cancelled = true;
        call.state = 'cancelled';
      }
      return;
    }
    if (head.method === 'BYE') {
      if (call.byeUs < 0) {
        call.byeUs = ts;
        call.hungUpBy = head.fromTag && head.fromTag === call.callerTag ? 'caller' : 'callee';
      }
      call.state = 'completed';
      return;
    }
    if (head.method || head.cseqMethod !== 'INVITE') return;
    if (head.code < 200) {
      if ((head.code === 180 || head.code === 183) && call.ringUs < 0) call.ringUs = ts;
      if (call.state === 'trying' && (head.code === 180 || head.code === 183)) call.state = 'ringing';
      return;
    }
    if (head.code < 300) {
      if (call.answerUs < 0) {
        call.answerUs = ts;
        call.code = head.code;
        call.reason = own(head.reason);
        if (call.state !== 'completed') call.state = 'answered';
      }
      return;
    }
    if (call.answerUs >= 0) return; // a re-INVITE refused: the call goes on
    call.code = head.code;
    call.reason = own(head.reason);
    call.state = head.code === 487 || call.cancelled ? 'cancelled' : 'rejected';
  }

  /** An SDP body: each media line says where its sender wants RTP; remember it for the streams that arrive there. */
  #sdp(call: Call, text: string): void {
    const sdp = parseSdp(text);
    if (!sdp) return;
    call.onHold = sdp.hold;
    for (const m of sdp.media) {
      if (m.port === 0 || !m.address || m.address === '0.0.0.0' || m.address === '::') continue;
      call.mediaEndpoints.add(`${m.address} ${m.port}`);
      const session: MediaSession = { call, codecs: m.codecs, rtcpPort: m.rtcpPort };
      const endpoint = this.#endpoint(m.port, m.address);
      const same = endpoint.sessions.findIndex((s) => s.call === call);
      if (same >= 0) endpoint.sessions.splice(same, 1);
      endpoint.sessions.unshift(session);
      if (endpoint.sessions.length > sessionsPerEndpoint) endpoint.sessions.pop();
      // A stream already arriving here without its SDP (the answer came after the first packets) is the call's now.
      for (const s of endpoint.streams)
        if (s.callId === null) {
          this.#orphans.delete(s.id);
          s.adopt(call.id, m.codecs);
          call.streams.push(s);
        }
      if (m.rtcpPort !== m.port) {
        let byAddress = this.#rtcpEndpoints.get(m.rtcpPort);
        if (!byAddress) this.#rtcpEndpoints.set(m.rtcpPort, (byAddress = new Map()));
        byAddress.set(m.address, session);
      }
    }
  }

  #endpoint(port: number, address: string): Endpoint {
    let byAddress = this.#endpoints.get(port);
    if (!byAddress) this.#endpoints.set(port, (byAddress = new Map()));
    let endpoint = byAddress.get(address);
    if (!endpoint) byAddress.set(address, (endpoint = { sessions: [], streams: [] }));
    return endpoint;
  }

  /** RTP or RTCP to a port an SDP announced, or RTP that looks the part; false to let SIP have a look. */
  #media(p: CapturedPacket): boolean {
    const b = p.payload;
    const pt = b.length > 1 ? b[1]! : 0;
    if (pt === 200 || pt === 201 || (pt >= 202 && pt <= 207)) return this.#rtcp(p);
    if (!readRtpHeader(b, this.#header)) return false;
    const h = this.#header;
    const endpoint = this.#endpoints.get(p.dport)?.get(p.dst);
    let stream: RtpStreamStats | undefined;
    if (endpoint)
      for (const s of endpoint.streams)
        if (s.identity.ssrc === h.ssrc && s.identity.sport === p.sport && s.identity.src === p.src) {
          stream = s;
          break;
        }
    if (!stream) {
      if (!endpoint && !plausibleOrphan(p, h)) return false;
      stream = this.#newStream(p, h, endpoint);
    }
    this.#counters.rtpPackets++;
    stream.add(p.ts, h, b);
    return true;
  }

  #newStream(p: CapturedPacket, h: RtpHeader, known: Endpoint | undefined): RtpStreamStats {
    // On a port several calls announced, the call whose other side announced this stream's source wins.
    const live = known?.sessions.filter((s) => this.#calls.get(s.call.id) === s.call) ?? [];
    const session = live.find((s) => s.call.mediaEndpoints.has(`${p.src} ${p.sport}`)) ?? live[0];
    if (this.#streams.size >= this.#limits.maxStreams) {
      this.#dropStream(this.#streams.values().next().value!);
      this.#counters.evictedStreams++;
    }
    if (!session && this.#orphans.size >= this.#limits.maxOrphanStreams) {
      this.#dropStream(this.#orphans.values().next().value!);
      this.#counters.evictedStreams++;
    }
    // Looked up again: a stream just dropped may have taken an endpoint without sessions with it.
    const endpoint = this.#endpoint(p.dport, p.dst);
    const id = `s${++this.#streamSeq}`;
    const stream = new RtpStreamStats(
      id,
      { src: p.src, sport: p.sport, dst: p.dst, dport: p.dport, ssrc: h.ssrc },
      session?.call.id ?? null,
      session?.codecs ?? new Map(),
    );
    if (session) session.call.streams.push(stream);
    else this.#orphans.set(id, stream);
    endpoint.streams.push(stream);
    this.#streams.set(id, stream);
    const same = this.#bySsrc.get(h.ssrc);
    if (same) same.push(stream);
    else this.#bySsrc.set(h.ssrc, [stream]);
    if (session) this.#version++;
    return stream;
  }

  #dropStream(s: RtpStreamStats): void {
    if (!this.#streams.delete(s.id)) return;
    this.#orphans.delete(s.id);
    const byAddress = this.#endpoints.get(s.identity.dport);
    const endpoint = byAddress?.get(s.identity.dst);
    if (endpoint) {
      endpoint.streams = endpoint.streams.filter((x) => x !== s);
      if (endpoint.streams.length === 0 && endpoint.sessions.every((x) => this.#calls.get(x.call.id) !== x.call)) {
        byAddress!.delete(s.identity.dst);
        if (byAddress!.size === 0) this.#endpoints.delete(s.identity.dport);
      }
    }
    const same = this.#bySsrc.get(s.identity.ssrc)?.filter((x) => x !== s);
    if (same?.length) this.#bySsrc.set(s.identity.ssrc, same);
    else this.#bySsrc.delete(s.identity.ssrc);
  }

  #rtcp(p: CapturedPacket): boolean {
    const known = this.#rtcpEndpoints.get(p.dport)?.has(p.dst) || this.#endpoints.get(p.dport)?.has(p.dst);
    const reports = parseRtcp(p.payload)?.reports;
    if (!reports) return false;
    if (!known && !this.#bySsrc.has(reports[0]?.ssrc ?? -1) && !reports.some((r) => r.blocks.some((x) => this.#bySsrc.has(x.ssrc))))
      return true;
    this.#counters.rtcpPackets++;
    for (const r of reports) {
      if (r.type === 'sr') {
        const sender = this.#streamFor(r.ssrc, p.src, p.sport);
        if (sender) {
          figures(sender).senderReports++;
          sender.lastSr = { ntpMiddle: r.ntpMiddle, atUs: p.ts };
        }
      } else {
        const reporter = this.#streamFor(r.ssrc, p.src, p.sport);
        if (reporter) figures(reporter).receiverReports++;
      }
      for (const block of r.blocks) {
        // The block is about a stream that the reporter (this packet's source) receives.
        const about = this.#streamFor(block.ssrc, p.src, p.sport, true);
        if (!about) continue;
        const f = figures(about);
        f.fractionLost = block.fractionLost;
        f.cumulativeLost = block.cumulativeLost;
        f.jitterMs = about.clockRate > 0 ? (block.jitter * 1000) / about.clockRate : null;
        if (block.lsr !== 0 && block.lsr === about.lastSr.ntpMiddle)
          f.roundTripMs = Math.max(0, (p.ts - about.lastSr.atUs) / 1000 - (block.dlsr * 1000) / 65536);
      }
    }
    return true;
  }

  /** The stream with this SSRC whose sender (or, `receiving`, whose receiver) sits at the RTCP packet's source. */
  #streamFor(ssrc: number, address: string, rtcpPort: number, receiving = false): RtpStreamStats | undefined {
    const candidates = this.#bySsrc.get(ssrc);
    if (!candidates) return undefined;
    for (const s of candidates) {
      const host = receiving ? s.identity.dst : s.identity.src;
      const port = receiving ? s.identity.dport : s.identity.sport;
      if (host === address && (port === rtcpPort - 1 || port === rtcpPort)) return s;
    }
    return candidates[candidates.length - 1];
  }
}

/**
 * A string of a SIP head as its own copy, for keeping: the head's fields are slices of the message's whole header
 * text, and V8 keeps that text alive as long as one slice of 13 or more characters is.
 */
function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'latin1').toString('latin1');
}

/**
 * A key joined into one flat string: a template literal is a tree of its parts, and a kept key would keep the tree
 * and every part (the branch is a slice that pins its whole Via header). `join` builds one string.
 */
function flat(...parts: (string | number)[]): string {
  return parts.join('|');
}

function figures(s: RtpStreamStats) {
  s.rtcp ??= { senderReports: 0, receiverReports: 0, fractionLost: null, cumulativeLost: null, jitterMs: null, roundTripMs: null };
  return s.rtcp;
}

/** RTP nobody announced: audio payload types on unprivileged ports, with room for a payload. */
function plausibleOrphan(p: CapturedPacket, h: RtpHeader): boolean {
  if (p.sport < 1024 || p.dport < 1024 || h.payloadEnd - h.payloadAt < 1) return false;
  const pt = h.payloadType;
  return pt === 0 || pt === 3 || pt === 4 || pt === 8 || pt === 9 || pt === 18 || (pt >= 96 && pt <= 127);
}

function kindOf(method: string): FlowKind {
  switch (method) {
    case 'INVITE':
      return 'call';
    case 'REGISTER':
      return 'register';
    case 'OPTIONS':
      return 'options';
    case 'SUBSCRIBE':
      return 'subscribe';
    case 'NOTIFY':
      return 'notify';
    case 'MESSAGE':
      return 'message';
    case 'PUBLISH':
      return 'publish';
    default:
      return 'other';
  }
}

function summary(c: Call): CallSummary {
  const codecs = new Set<string>();
  let worst: number | null = null;
  for (const s of c.streams) {
    if (!s.scored) continue;
    codecs.add(s.codec);
    const m = s.snapshot(false).mos;
    if (m !== null && (worst === null || m < worst)) worst = m;
  }
  return {
    id: c.id,
    kind: c.kind,
    from: c.from,
    to: c.to,
    startUs: c.startUs,
    endUs: c.endUs,
    state: c.state,
    code: c.code,
    reason: c.reason,
    ringMs: c.inviteUs >= 0 && c.ringUs >= 0 ? (c.ringUs - c.inviteUs) / 1000 : null,
    answerMs: c.inviteUs >= 0 && c.answerUs >= 0 ? (c.answerUs - c.inviteUs) / 1000 : null,
    durationMs: c.answerUs >= 0 && c.byeUs >= 0 ? (c.byeUs - c.answerUs) / 1000 : null,
    hungUpBy: c.hungUpBy,
    onHold: c.onHold,
    sources: [...c.sources],
    messageCount: c.messageCount,
    retransmissions: c.retransmissions,
    legs: [...c.legs],
    codecs: [...codecs],
    streams: c.streams.length,
    worstMos: worst,
  };
}
