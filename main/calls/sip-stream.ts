// SIP over stream transports: TCP (RFC 3261 §18.3, messages framed by Content-Length, several to a segment or
// one split across segments) and WebSocket (RFC 7118 over RFC 6455 frames, masked or not). One buffer per
// flow, each capped, the flow table capped with the oldest flow dropped; bytes thrown away are counted.
// Segments that carry their TCP sequence number (a capture's, not HEP's) are put back in sequence order first
// (tcp-sequencer.ts): reordering, retransmissions and overlaps undone, a gap that never fills skipped and the
// framing re-synchronised at the next SIP start line. Without one they are taken in arrival order.
import type { CapturedPacket } from './packet.ts';
import { headerEnd, looksLikeSip, maxHeaderBytes, parseSipHead, type SipHead } from './sip-message.ts';
import {
  defaultSequencerLimits,
  newSequencerCounters,
  RST,
  SYN,
  type SequencerCounters,
  type SequencerLimits,
  type SequencerSink,
  TcpSequencer,
} from './tcp-sequencer.ts';

export interface StreamLimits extends SequencerLimits {
  maxFlows: number;
  /** Of those, connections followed from a SYN whose data has not said what they carry: a port scan must not push out SIP. */
  maxUndecidedFlows: number;
  /** Bytes held per flow waiting for the rest of a message. */
  maxFlowBytes: number;
  /** A message (headers and body) longer than this is refused. */
  maxMessageBytes: number;
}

export const defaultStreamLimits: StreamLimits = {
  maxFlows: 4096,
  maxUndecidedFlows: 1024,
  maxFlowBytes: 256 * 1024,
  maxMessageBytes: 128 * 1024,
  ...defaultSequencerLimits,
};

export interface FramedMessage {
  head: SipHead;
  /** The whole message, headers and body; a copy the receiver may keep. */
  bytes: Buffer;
  bodyAt: number;
  transport: 'tcp' | 'ws';
}

interface Flow {
  /** What the flow carries: not known yet (a connection followed from its SYN, no data in order yet), SIP, or WebSocket. */
  kind: 'unknown' | 'sip' | 'ws';
  /** The flow's addresses and its latest capture time: what its messages are emitted with. */
  packet: CapturedPacket;
  /** Puts segments in sequence order, when the packets carry sequence numbers. */
  sequencer: TcpSequencer | null;
  /** Undecoded WebSocket frame bytes. */
  frames: Buffer;
  /** SIP bytes not yet framed into a message. */
  sip: Buffer;
  /** After a gap or bytes that could not be framed: skip to the next SIP start line. */
  resync: boolean;
}

const empty = Buffer.alloc(0);

export class SipStreams {
  readonly #limits: StreamLimits;
  readonly #flows = new Map<string, Flow>();
  /** The flows whose kind is still unknown, oldest first (also in #flows). */
  readonly #undecided = new Map<string, Flow>();
  readonly #emit: (p: CapturedPacket, m: FramedMessage) => void;
  /** Reordering, repeats and gaps undone or skipped by the sequencers, over all flows. */
  readonly tcp: SequencerCounters = newSequencerCounters();
  malformed = 0;
  bytesDropped = 0;

  constructor(emit: (p: CapturedPacket, m: FramedMessage) => void, limits: Partial<StreamLimits> = {}) {
    this.#emit = emit;
    this.#limits = { ...defaultStreamLimits, ...limits };
  }

  /** Takes a TCP segment; false when its flow is not SIP (nor a WebSocket carrying it). */
  push(p: CapturedPacket): boolean {
    const key = flowKey(p.src, p.sport, p.dst, p.dport);
    let flow = this.#flows.get(key);
    const sequenced = p.tcpSeq !== undefined;
    const flags = p.tcpFlags ?? 0;
    if (sequenced && flags & RST) {
      if (flow) this.#close(key, flow);
      return flow !== undefined;
    }
    if (!flow) {
      // A connection seen from its SYN is followed from there, whatever it turns out to carry (decided on its first
      // bytes in order); one met mid-stream only if the first segment seen starts like SIP or WebSocket.
      if (!(sequenced && flags & SYN) && !classify(asBuffer(p.payload))) return false;
      flow = this.#open(key, p, sequenced);
    }
    flow.packet.ts = p.ts;
    flow.packet.source = p.source;
    if (flow.sequencer && sequenced) {
      flow.sequencer.push(p.tcpSeq!, flags, p.payload, p.ts, this.#sinkFor(key, flow));
      if (flow.sequencer.finished) this.#close(key, flow);
    } else if (p.payload.length > 0) this.#take(key, flow, asBuffer(p.payload));
    return this.#flows.get(key) === flow;
  }

  /** Gives up on gaps older than the timeout (capture time, µs), for flows that went quiet behind one. */
  expire(nowUs: number): void {
    for (const [key, flow] of [...this.#flows]) if (flow.sequencer?.heldBytes) flow.sequencer.expire(nowUs, this.#sinkFor(key, flow));
  }

  /** The capture ended: every flow's gaps are given up on and what was held behind them framed. */
  flush(): void {
    for (const [key, flow] of [...this.#flows]) if (flow.sequencer?.heldBytes) flow.sequencer.flush(this.#sinkFor(key, flow));
  }

  #sinkFor(key: string, flow: Flow): SequencerSink {
    return { data: (bytes) => this.#take(key, flow, bytes), gap: () => this.#gap(flow) };
  }

  /** Bytes of the flow in order: its kind decided on the first, then unframed (WebSocket) and framed into messages. */
  #take(key: string, flow: Flow, bytes: Buffer): void {
    let b = bytes;
    if (this.#flows.get(key) !== flow) return; // closed by earlier bytes of the same segment
    if (flow.kind === 'unknown') {
      // Decided on enough of the first bytes in order (a segment may hold a single byte); they wait in `sip`.
      const waiting = append(flow.sip, b);
      const kind = decide(waiting, flow.resync);
      if (kind === 'wait') {
        flow.sip = waiting;
        if (waiting.length > maxHeaderBytes) this.#close(key, flow); // undecided for too long: not SIP
        return;
      }
      flow.sip = empty;
      this.#undecided.delete(key);
      if (!kind) {
        this.#close(key, flow); // not SIP: forget the connection
        return;
      }
      if (kind === 'upgrade') {
        // The handshake itself is HTTP: both directions carry WebSocket frames from here.
        flow.kind = 'ws';
        const p = flow.packet;
        const reverseKey = flowKey(p.dst, p.dport, p.src, p.sport);
        const reverse = this.#flows.get(reverseKey);
        const other =
          reverse ?? this.#open(reverseKey, { ...p, src: p.dst, sport: p.dport, dst: p.src, dport: p.sport }, flow.sequencer !== null);
        other.kind = 'ws';
        this.#undecided.delete(reverseKey);
        return;
      }
      flow.kind = kind;
      b = waiting;
    }
    if (flow.kind === 'ws') {
      if (startsWith(b, 'HTTP/1.1 101')) return;
      flow.frames = append(flow.frames, b);
      this.#unframe(flow);
    } else flow.sip = append(flow.sip, b);
    if (flow.frames.length + flow.sip.length > this.#limits.maxFlowBytes) {
      this.bytesDropped += flow.frames.length + flow.sip.length;
      flow.frames = flow.sip = empty;
      flow.resync = true;
      return;
    }
    this.#frame(flow);
  }

  /** A gap in the stream: the partial message before it cannot be completed; framing starts again after it. */
  #gap(flow: Flow): void {
    this.bytesDropped += flow.frames.length + flow.sip.length;
    flow.frames = flow.sip = empty;
    flow.resync = true;
  }

  #open(key: string, p: CapturedPacket, sequenced: boolean): Flow {
    // Room first: the oldest undecided connection goes (a port scan's SYNs must not push out SIP flows); a decided
    // flow only when the table is full of them.
    if (this.#undecided.size >= this.#limits.maxUndecidedFlows || this.#flows.size >= this.#limits.maxFlows) {
      const [oldestKey, oldest] = (this.#undecided.size > 0 ? this.#undecided : this.#flows).entries().next().value!;
      this.#close(oldestKey, oldest);
    }
    const flow: Flow = {
      kind: 'unknown',
      packet: { ...p, payload: empty },
      sequencer: sequenced ? new TcpSequencer(this.tcp, this.#limits) : null,
      frames: empty,
      sip: empty,
      resync: false,
    };
    this.#flows.set(key, flow);
    this.#undecided.set(key, flow);
    return flow;
  }

  /** The connection is over (RST, FIN, not SIP, or pushed out by the flow limit): what it still held is counted. */
  #close(key: string, flow: Flow): void {
    this.bytesDropped += flow.frames.length + flow.sip.length + (flow.sequencer?.heldBytes ?? 0);
    this.#flows.delete(key);
    this.#undecided.delete(key);
  }

  /** Complete RFC 6455 frames → their (unmasked) data appended to the flow's SIP bytes; control frames skipped. */
  #unframe(flow: Flow): void {
    let at = 0;
    const b = flow.frames;
    const parts: Buffer[] = [flow.sip];
    for (;;) {
      const frame = wsFrame(b, at);
      if (!frame) break;
      const opcode = b[at]! & 0x0f;
      if (frame.end - frame.dataAt > this.#limits.maxMessageBytes) {
        this.malformed++;
        this.bytesDropped += b.length - at;
        at = b.length;
        break;
      }
      if (opcode <= 2) {
        const data = Buffer.from(b.subarray(frame.dataAt, frame.end));
        if (frame.mask) for (let i = 0; i < data.length; i++) data[i]! ^= frame.mask[i & 3]!;
        parts.push(data);
      }
      at = frame.end;
    }
    flow.frames = at === 0 ? b : Buffer.from(b.subarray(at));
    if (parts.length > 1) flow.sip = Buffer.concat(parts);
  }

  #frame(flow: Flow): void {
    const b = flow.sip;
    let at = 0;
    if (flow.resync) {
      at = nextStartLine(b);
      if (at < 0) {
        // No start line yet: keep only the last partial line, which may be the start of one.
        const keep = b.lastIndexOf(10) + 1;
        this.bytesDropped += keep;
        flow.sip = keep > 0 ? Buffer.from(b.subarray(keep)) : b;
        if (flow.sip.length > maxHeaderBytes) this.#lose(flow, flow.sip.length);
        return;
      }
      this.bytesDropped += at;
      flow.resync = false;
    }
    while (at < b.length) {
      while (at < b.length && (b[at] === 13 || b[at] === 10)) at++; // keep-alive CRLFs (RFC 5626 §3.5.1)
      if (at >= b.length) break;
      const end = headerEnd(b, at, Math.min(b.length, at + maxHeaderBytes));
      if (end < 0) {
        if (b.length - at >= maxHeaderBytes) this.#lose(flow, b.length - at);
        else flow.sip = Buffer.from(b.subarray(at));
        return;
      }
      const head = parseSipHead(b, at, end);
      const length = end - at + Math.max(0, head?.contentLength ?? 0);
      if (!head || length > this.#limits.maxMessageBytes) {
        this.#lose(flow, b.length - at);
        return;
      }
      if (at + length > b.length) {
        flow.sip = Buffer.from(b.subarray(at));
        return;
      }
      const message = {
        head,
        bytes: Buffer.from(b.subarray(at, at + length)),
        bodyAt: end - at,
        transport: flow.kind === 'ws' ? 'ws' : 'tcp',
      } as const;
      this.#emit(flow.packet, message);
      at += length;
    }
    flow.sip = empty;
  }

  /** The flow's bytes cannot be framed: count them and pick up again at the next SIP start line. */
  #lose(flow: Flow, bytes: number): void {
    this.malformed++;
    this.bytesDropped += bytes;
    flow.sip = empty;
    flow.resync = true;
  }
}

/** Where the first line that starts like a SIP message begins in b (at 0 or after a line feed), or -1. */
function nextStartLine(b: Buffer): number {
  if (looksLikeSip(b, 0, b.length)) return 0;
  for (let lf = b.indexOf(10); lf >= 0; lf = b.indexOf(10, lf + 1)) if (looksLikeSip(b, lf + 1, b.length)) return lf + 1;
  return -1;
}

/**
 * What a followed connection's first bytes in order say it carries, or 'wait' for more (too few to tell, or an HTTP
 * request whose headers have not all come). After a gap, SIP once a start line shows.
 */
function decide(b: Buffer, resync: boolean): 'sip' | 'ws' | 'upgrade' | 'wait' | null {
  if (resync) return nextStartLine(b) >= 0 ? 'sip' : 'wait';
  if (b.length < 16) return 'wait';
  if (startsWith(b, 'GET ') && b.length < 4096 && headerEnd(b, 0, b.length) < 0) return 'wait';
  return classify(b);
}

/** What a flow's first bytes say it carries: SIP, a WebSocket upgrade, WebSocket frames carrying SIP, or nothing known. */
function classify(b: Buffer): 'sip' | 'ws' | 'upgrade' | null {
  if (b.length === 0) return null;
  if (isUpgrade(b)) return 'upgrade';
  if (looksLikeSip(b, 0, b.length)) return 'sip';
  return wsFrameCarriesSip(b) ? 'ws' : null;
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

function flowKey(src: string, sport: number, dst: string, dport: number): string {
  return `${src}|${sport}|${dst}|${dport}`;
}

function append(a: Buffer, b: Buffer): Buffer {
  return a.length === 0 ? Buffer.from(b) : Buffer.concat([a, b]);
}

function startsWith(b: Buffer, text: string): boolean {
  return b.length >= text.length && b.toString('latin1', 0, text.length) === text;
}

/** An HTTP GET asking for a WebSocket (RFC 6455 §4.1), judged on its first 4 kB. */
function isUpgrade(b: Buffer): boolean {
  return startsWith(b, 'GET ') && b.toString('latin1', 0, Math.min(b.length, 4096)).toLowerCase().includes('upgrade: websocket');
}

interface WsFrame {
  dataAt: number;
  end: number;
  mask: Buffer | null;
}

/** The frame at `at` if all of it is there (RFC 6455 §5.2). */
function wsFrame(b: Buffer, at: number): WsFrame | null {
  if (b.length - at < 2) return null;
  const masked = (b[at + 1]! & 0x80) !== 0;
  let length = b[at + 1]! & 0x7f;
  let p = at + 2;
  if (length === 126) {
    if (b.length - p < 2) return null;
    length = b.readUInt16BE(p);
    p += 2;
  } else if (length === 127) {
    if (b.length - p < 8) return null;
    const high = b.readUInt32BE(p);
    length = high > 0 ? Number.MAX_SAFE_INTEGER : b.readUInt32BE(p + 4);
    p += 8;
  }
  const mask = masked ? b.subarray(p, p + 4) : null;
  if (masked) p += 4;
  if (p > b.length || b.length - p < length) return null;
  return { dataAt: p, end: p + length, mask };
}

/** A text or binary frame, first of its message, whose data starts like SIP: a WebSocket flow met mid-stream. */
function wsFrameCarriesSip(b: Buffer): boolean {
  if (b[0] !== 0x81 && b[0] !== 0x82) return false;
  const frame = wsFrame(b, 0);
  if (!frame) return false;
  const head = Buffer.from(b.subarray(frame.dataAt, Math.min(frame.end, frame.dataAt + 16)));
  if (frame.mask) for (let i = 0; i < head.length; i++) head[i]! ^= frame.mask[i & 3]!;
  return looksLikeSip(head, 0, head.length) || (head.length >= 8 && head.toString('latin1', 0, 8) === 'SIP/2.0 ');
}
