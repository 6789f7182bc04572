// One RTP stream's quality figures, updated per packet without allocating: sequence accounting (RFC 3550
// A.1/A.3: expected = highest − lowest extended sequence + 1, lost = expected − received), duplicates and
// reordering from a 1024-packet window, interarrival jitter (RFC 3550 §6.4.1 / A.8, in ms with the codec's
// clock), deltas, RFC 4733 digits and a per-second series for charts. The jitter, delta and "regular packet"
// rules follow Wireshark's RTP analysis (ui/tap-rtp-analysis.c), so the figures match `tshark -z rtp,streams`.
import type { RtcpFigures, RtpStream, StreamPoint } from '../calls/contract.ts';
import { mos } from './mos.ts';
import { type SdpCodec, staticCodecs } from './sdp.ts';

/** Seconds of chart points kept per stream (two hours); later seconds are not charted. */
export const maxSeriesPoints = 7200;
/** DTMF digits kept per stream. */
const maxDigits = 64;
const window = 1024;

const dtmfKeys = '0123456789*#ABCD';

export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  /** Offset of the payload (after CSRCs and the extension). */
  payloadAt: number;
  /** End of the payload (before padding). */
  payloadEnd: number;
}

/** The RTP fixed header (RFC 3550 §5.1) of bytes, into `out`; false when it is not RTP version 2 or is cut short. */
export function readRtpHeader(b: Uint8Array, out: RtpHeader): boolean {
  const n = b.length;
  if (n < 12 || b[0]! >> 6 !== 2) return false;
  const pt = b[1]! & 0x7f;
  if (pt >= 72 && pt <= 76) return false; // RTCP SR/RR/SDES/BYE/APP share the byte (RFC 5761 §4)
  let at = 12 + (b[0]! & 0x0f) * 4;
  if (b[0]! & 0x10) {
    if (at + 4 > n) return false;
    at += 4 + ((b[at + 2]! << 8) | b[at + 3]!) * 4;
  }
  let end = n;
  if (b[0]! & 0x20) end -= b[n - 1]!;
  if (at > end) return false;
  out.payloadType = pt;
  out.marker = (b[1]! & 0x80) !== 0;
  out.seq = (b[2]! << 8) | b[3]!;
  out.timestamp = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  out.ssrc = ((b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!) >>> 0;
  out.payloadAt = at;
  out.payloadEnd = end;
  return true;
}

export interface StreamIdentity {
  src: string;
  sport: number;
  dst: string;
  dport: number;
  ssrc: number;
}

export class RtpStreamStats {
  readonly id: string;
  readonly identity: StreamIdentity;
  #callId: string | null;
  /** The payload types' codecs as the call's SDP announced them (empty for a stream without SDP). */
  #codecs: ReadonlyMap<number, SdpCodec>;
  payloadType = -1;
  firstUs = 0;
  lastUs = 0;
  packets = 0;
  duplicates = 0;
  outOfOrder = 0;
  rtcp: RtcpFigures | null = null;
  /** The middle 32 bits of the last SR's NTP time and when it was seen, for the round trip (RFC 3550 §6.4.1). */
  lastSr = { ntpMiddle: -1, atUs: 0 };
  // Sequence accounting, with extended (wrap-counted) numbers.
  #cycles = 0;
  #lastSeq = 0;
  #startSeq = 0;
  #stopSeq = 0;
  #seqNum = 0;
  /** One bit per sequence number in the window; a plain array of 32-bit words (a typed array this size would live off the heap, which costs every collection). */
  #seen: number[] = new Array<number>(window / 32).fill(0);
  // Timing, in ms since the first packet; timestamps extended past their 32-bit wrap.
  #tsCycles = 0;
  #lastTs = 0;
  #seqTimestamp = 0;
  #timeMs = 0;
  #jitter = 0;
  #maxJitter = 0;
  #meanJitter = 0;
  #maxDelta = 0;
  #followsCn = false;
  // DTMF
  #digits = '';
  #lastEventTs = -1;
  // Per-second series
  #series: StreamPoint[] = [];
  #secondStop = 0;

  constructor(id: string, identity: StreamIdentity, callId: string | null, codecs: ReadonlyMap<number, SdpCodec>) {
    this.id = id;
    this.identity = identity;
    this.#callId = callId;
    this.#codecs = codecs;
  }

  get callId(): string | null {
    return this.#callId;
  }

  /** A stream seen before its SDP: the call that announced it after all, and that SDP's codecs. */
  adopt(callId: string, codecs: ReadonlyMap<number, SdpCodec>): void {
    this.#callId = callId;
    this.#codecs = codecs;
    this.#cachedPt = -1;
  }

  codecOf(pt: number): SdpCodec | undefined {
    return this.#codecs.get(pt) ?? staticCodecs.get(pt);
  }

  /** The last payload type's codec facts, so a packet costs no lookups or string work while the type holds. */
  #cachedPt = -1;
  #cachedClock = 0;
  #cachedEvent = false;

  #payloadType(pt: number): void {
    if (pt === this.#cachedPt) return;
    const codec = this.codecOf(pt);
    this.#cachedPt = pt;
    this.#cachedEvent = codec?.name.toLowerCase() === 'telephone-event';
    // Wireshark leaves telephone-event out of the jitter: its timestamps stand still for the event's length.
    this.#cachedClock = codec && !this.#cachedEvent ? codec.clockRate : 0;
  }

  add(ts: number, h: RtpHeader, payload: Uint8Array): void {
    const seq = h.seq;
    this.#payloadType(h.payloadType);
    if (this.packets === 0) {
      this.firstUs = ts;
      this.#lastSeq = seq;
      this.#startSeq = this.#stopSeq = seq;
      this.#seqNum = seq;
      this.#lastTs = h.timestamp;
      this.#seqTimestamp = h.timestamp;
      this.#mark(seq);
      this.payloadType = h.payloadType;
      this.#followsCn = isCn(h.payloadType);
      this.packets = 1;
      this.lastUs = ts;
      this.#secondStop = seq - 1;
      this.#dtmf(h, payload);
      this.#count(ts);
      return;
    }
    this.#roll(ts);
    const ext = this.#extendSeq(seq);
    const extTs = this.#extendTimestamp(h.timestamp);
    const now = (ts - this.firstUs) / 1000;
    const inTime = this.#seqTimestamp <= extTs;

    if (ext > this.#stopSeq - window && this.#isMarked(ext)) this.duplicates++;
    else if (ext < this.#stopSeq) this.outOfOrder++;
    if (inTime && (this.#seqNum + 1 === seq || (this.#seqNum === 65535 && seq === 0))) this.#seqNum = seq;
    else if (inTime && (this.#seqNum + 1 < seq || this.#seqNum - seq > 0xff00)) this.#seqNum = seq;

    const cn = isCn(h.payloadType);
    const followsCn = this.#followsCn;
    this.#followsCn = cn;
    this.payloadType = cn ? this.payloadType : h.payloadType;
    const clock = this.#cachedClock;
    let delta = 0;
    if (clock !== 0) {
      const expected = this.#timeMs + (extTs - this.#seqTimestamp) / (clock / 1000);
      const diff = Math.abs(now - expected);
      this.#jitter = (15 * this.#jitter + diff) / 16;
    }
    delta = now - this.#timeMs;
    if (!h.marker && !cn && inTime && !followsCn) {
      if (delta > this.#maxDelta) this.#maxDelta = delta;
      if (clock !== 0) {
        if (this.#jitter > this.#maxJitter) this.#maxJitter = this.#jitter;
        // Wireshark's mean: over the N − 1 gaps between N packets (the packet count before this one).
        this.#meanJitter = (this.#meanJitter * (this.packets - 1) + this.#jitter) / this.packets;
      }
    }
    if (inTime) {
      this.#timeMs = now;
      this.#seqTimestamp = extTs;
    }
    if (ext < this.#startSeq) this.#startSeq = ext;
    if (ext > this.#stopSeq) this.#advance(ext);
    this.#mark(ext);
    this.packets++;
    if (ts > this.lastUs) this.lastUs = ts;
    this.#dtmf(h, payload);
    this.#count(ts);
  }

  get expected(): number {
    return this.#stopSeq - this.#startSeq + 1;
  }

  get lost(): number {
    return this.expected - this.packets;
  }

  get codec(): string {
    return this.codecOf(this.payloadType)?.name ?? `PT${this.payloadType}`;
  }

  get clockRate(): number {
    return this.codecOf(this.payloadType)?.clockRate ?? 0;
  }

  /** Is this a media stream a MOS means something for (not DTMF events, not comfort noise alone)? */
  get scored(): boolean {
    const name = this.codec.toLowerCase();
    return name !== 'telephone-event' && name !== 'cn' && this.clockRate > 0;
  }

  snapshot(withSeries = true): RtpStream {
    const lossPercent = this.expected > 0 ? (Math.max(0, this.lost) * 100) / this.expected : 0;
    return {
      id: this.id,
      callId: this.callId,
      ...this.identity,
      payloadType: this.payloadType,
      codec: this.codec,
      clockRate: this.clockRate,
      firstUs: this.firstUs,
      lastUs: this.lastUs,
      packets: this.packets,
      expected: this.expected,
      lost: this.lost,
      duplicates: this.duplicates,
      outOfOrder: this.outOfOrder,
      meanJitterMs: this.#meanJitter,
      maxJitterMs: this.#maxJitter,
      maxDeltaMs: this.#maxDelta,
      mos: this.scored ? mos(this.codec, lossPercent, this.#maxJitter) : null,
      rtcp: this.rtcp,
      dtmf: this.#digits,
      series: withSeries ? this.#series.slice() : [],
    };
  }

  #extendSeq(seq: number): number {
    // A jump back by more than half the space is a wrap forward; forward by more than half, a late one from before the wrap.
    if (seq < this.#lastSeq && this.#lastSeq - seq > 0x8000) this.#cycles += 0x10000;
    else if (seq > this.#lastSeq && seq - this.#lastSeq > 0x8000) return this.#cycles - 0x10000 + seq;
    this.#lastSeq = seq;
    return this.#cycles + seq;
  }

  #extendTimestamp(t: number): number {
    if (t < this.#lastTs && this.#lastTs - t > 0x80000000) this.#tsCycles += 0x100000000;
    else if (t > this.#lastTs && t - this.#lastTs > 0x80000000) return this.#tsCycles - 0x100000000 + t;
    this.#lastTs = t;
    return this.#tsCycles + t;
  }

  #isMarked(ext: number): boolean {
    const i = ext & (window - 1);
    return (this.#seen[i >> 5]! & (1 << (i & 31))) !== 0;
  }

  #mark(ext: number): void {
    const i = ext & (window - 1);
    this.#seen[i >> 5]! |= 1 << (i & 31);
  }

  /** A new highest sequence number: forget the window slots it passes over. */
  #advance(ext: number): void {
    const from = this.#stopSeq + 1;
    if (ext - from >= window) this.#seen.fill(0);
    else
      for (let s = from; s <= ext; s++) {
        const i = s & (window - 1);
        this.#seen[i >> 5]! &= ~(1 << (i & 31));
      }
    this.#stopSeq = ext;
  }

  #dtmf(h: RtpHeader, payload: Uint8Array): void {
    if (!this.#cachedEvent || h.payloadEnd - h.payloadAt < 4) return;
    if (h.timestamp === this.#lastEventTs) return; // one event, many packets (RFC 4733 §2.5.1)
    this.#lastEventTs = h.timestamp;
    const event = payload[h.payloadAt]!;
    if (event < dtmfKeys.length && this.#digits.length < maxDigits) this.#digits += dtmfKeys[event];
  }

  /** A packet in a new second: close the last second's loss before this packet moves the sequence on. */
  #roll(ts: number): void {
    const last = this.#series[this.#series.length - 1];
    if (!last || last.second === Math.floor((ts - this.firstUs) / 1_000_000)) return;
    last.lost = Math.max(0, this.#stopSeq - this.#secondStop - last.packets);
    this.#secondStop = this.#stopSeq;
  }

  #count(ts: number): void {
    const second = Math.floor((ts - this.firstUs) / 1_000_000);
    if (second >= maxSeriesPoints) return;
    let last = this.#series[this.#series.length - 1];
    if (last?.second !== second) {
      last = { second, packets: 0, lost: 0, jitterMs: 0 };
      this.#series.push(last);
    }
    last.packets++;
    last.jitterMs = this.#jitter;
    last.lost = Math.max(0, this.#stopSeq - this.#secondStop - last.packets);
  }
}

function isCn(pt: number): boolean {
  return pt === 13 || pt === 19;
}
