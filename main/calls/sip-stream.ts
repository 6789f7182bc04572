// SIP over stream transports: TCP (RFC 3261 §18.3, messages framed by Content-Length, several to a segment or
// one split across segments) and WebSocket (RFC 7118 over RFC 6455 frames, masked or not). One buffer per
// flow, each capped, the flow table capped with the oldest flow dropped; bytes thrown away are counted.
// Segments are taken in capture order: a capture's TCP retransmissions or reordering are not undone.
import type { CapturedPacket } from './packet.ts';
import { headerEnd, looksLikeSip, maxHeaderBytes, parseSipHead, type SipHead } from './sip-message.ts';

export interface StreamLimits {
  maxFlows: number;
  /** Bytes held per flow waiting for the rest of a message. */
  maxFlowBytes: number;
  /** A message (headers and body) longer than this is refused. */
  maxMessageBytes: number;
}

export const defaultStreamLimits: StreamLimits = { maxFlows: 4096, maxFlowBytes: 256 * 1024, maxMessageBytes: 128 * 1024 };

export interface FramedMessage {
  head: SipHead;
  /** The whole message, headers and body; a copy the receiver may keep. */
  bytes: Buffer;
  bodyAt: number;
  transport: 'tcp' | 'ws';
}

interface Flow {
  ws: boolean;
  /** Undecoded WebSocket frame bytes. */
  frames: Buffer;
  /** SIP bytes not yet framed into a message. */
  sip: Buffer;
}

const empty = Buffer.alloc(0);

export class SipStreams {
  readonly #limits: StreamLimits;
  readonly #flows = new Map<string, Flow>();
  readonly #emit: (p: CapturedPacket, m: FramedMessage) => void;
  malformed = 0;
  bytesDropped = 0;

  constructor(emit: (p: CapturedPacket, m: FramedMessage) => void, limits: Partial<StreamLimits> = {}) {
    this.#emit = emit;
    this.#limits = { ...defaultStreamLimits, ...limits };
  }

  /** Takes a TCP payload; false when the flow is not SIP (nor a WebSocket carrying it) so the caller may look elsewhere. */
  push(p: CapturedPacket): boolean {
    if (p.payload.length === 0) return this.#flows.has(flowKey(p.src, p.sport, p.dst, p.dport));
    const key = flowKey(p.src, p.sport, p.dst, p.dport);
    const b = Buffer.from(p.payload.buffer, p.payload.byteOffset, p.payload.byteLength);
    let flow = this.#flows.get(key);
    if (!flow) {
      if (isUpgrade(b)) {
        // The handshake itself is HTTP: mark both directions as WebSocket for what follows.
        this.#open(key, true);
        this.#open(flowKey(p.dst, p.dport, p.src, p.sport), true);
        return true;
      }
      if (looksLikeSip(b, 0, b.length)) flow = this.#open(key, false);
      else if (wsFrameCarriesSip(b)) flow = this.#open(key, true);
      else return false;
    }
    if (flow.ws) {
      if (startsWith(b, 'HTTP/1.1 101')) return true;
      flow.frames = append(flow.frames, b);
      this.#unframe(flow);
    } else flow.sip = append(flow.sip, b);
    if (flow.frames.length + flow.sip.length > this.#limits.maxFlowBytes) {
      this.bytesDropped += flow.frames.length + flow.sip.length;
      flow.frames = flow.sip = empty;
      return true;
    }
    this.#frame(p, flow);
    return true;
  }

  #open(key: string, ws: boolean): Flow {
    if (this.#flows.size >= this.#limits.maxFlows) {
      const [oldestKey, oldest] = this.#flows.entries().next().value!;
      this.bytesDropped += oldest.frames.length + oldest.sip.length;
      this.#flows.delete(oldestKey);
    }
    const flow: Flow = { ws, frames: empty, sip: empty };
    this.#flows.set(key, flow);
    return flow;
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

  #frame(p: CapturedPacket, flow: Flow): void {
    const b = flow.sip;
    let at = 0;
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
      this.#emit(p, { head, bytes: Buffer.from(b.subarray(at, at + length)), bodyAt: end - at, transport: flow.ws ? 'ws' : 'tcp' });
      at += length;
    }
    flow.sip = empty;
  }

  /** The flow's bytes cannot be framed: count them and start over at the next segment. */
  #lose(flow: Flow, bytes: number): void {
    this.malformed++;
    this.bytesDropped += bytes;
    flow.sip = empty;
  }
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
