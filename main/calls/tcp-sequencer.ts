// One direction of a TCP connection put back in sequence order, for SIP over TCP read from captures: a capture
// holds segments as the tap saw them — reordered, retransmitted, overlapping, sometimes missing. Segments ahead of
// the next expected byte wait in a bounded list (copied: the caller's payload is a view it reuses); bytes already
// delivered are dropped, once, where a retransmission or an overlap repeats them; a gap that does not fill within
// the bounds (held bytes, held segments, capture time) is given up on and counted, and the caller told so it can
// re-synchronise its framing. Sequence numbers compare modulo 2^32 (RFC 9293 §3.4), so the wrap is no event.

export interface SequencerLimits {
  /** Bytes held ahead of a gap. */
  maxHeldBytes: number;
  /** Segments held ahead of a gap. */
  maxHeldSegments: number;
  /** A gap older than this (capture time, µs) is given up on at the next segment (or `expire`). */
  gapTimeoutUs: number;
}

export const defaultSequencerLimits: SequencerLimits = { maxHeldBytes: 256 * 1024, maxHeldSegments: 256, gapTimeoutUs: 2_000_000 };

export interface SequencerCounters {
  /** Segments that arrived ahead of a gap and were held. */
  outOfOrder: number;
  /** Bytes that arrived again (retransmitted or overlapping) and were dropped. */
  repeatedBytes: number;
  /** Gaps given up on, and the bytes they were missing. */
  gapsSkipped: number;
  missingBytes: number;
}

export function newSequencerCounters(): SequencerCounters {
  return { outOfOrder: 0, repeatedBytes: 0, gapsSkipped: 0, missingBytes: 0 };
}

export const SYN = 0x02;
export const FIN = 0x01;
export const RST = 0x04;

/** Where in-order bytes go: `data` (a view, valid during the call), and `gap` before the bytes after a skipped gap. */
export interface SequencerSink {
  data(bytes: Buffer): void;
  gap(): void;
}

interface Held {
  seq: number;
  bytes: Buffer;
  fin: boolean;
  /** Capture time it arrived (µs), for the gap timeout. */
  arrived: number;
}

/** a − b as a signed 32-bit distance: positive when a is after b, across the 2^32 wrap. */
function after(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpSequencer {
  readonly #limits: SequencerLimits;
  readonly #counters: SequencerCounters;
  /** The next byte's sequence number; null until a SYN or the first segment says where the stream starts. */
  #next: number | null = null;
  /** The SYN's sequence number, to know a retransmitted SYN from a new connection on the same ports. */
  #isn: number | null = null;
  /** Segments ahead of #next, in sequence order. */
  #held: Held[] = [];
  #heldBytes = 0;
  /** When the oldest held segment arrived (capture time, µs). */
  #gapSince = 0;
  /** The stream's FIN was delivered: nothing more comes on it. */
  finished = false;

  constructor(counters: SequencerCounters, limits: Partial<SequencerLimits> = {}) {
    this.#counters = counters;
    this.#limits = { ...defaultSequencerLimits, ...limits };
  }

  get heldBytes(): number {
    return this.#heldBytes;
  }

  /** One segment: its sequence number, flags and payload at capture time `ts` (µs). */
  push(seq: number, flags: number, payload: Uint8Array, ts: number, sink: SequencerSink): void {
    let start = seq >>> 0;
    if (flags & SYN) {
      if (start !== this.#isn) {
        // A (new) connection: its data starts after the SYN's own sequence number. Anything held is from before.
        this.#drop();
        this.#isn = start;
        this.#next = (start + 1) >>> 0;
        this.finished = false;
      }
      start = (start + 1) >>> 0;
    }
    const fin = (flags & FIN) !== 0;
    if (this.#next === null) this.#next = start; // met mid-stream: the first segment seen is the start
    const b = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    if (b.length === 0 && !fin) return;
    const ahead = after(start, this.#next);
    if (ahead > 0) {
      this.#hold(start, b, fin, ts);
      this.#enforce(ts, sink);
      return;
    }
    this.#deliver(start, b, fin, sink);
    this.#drain(sink);
    this.#enforce(ts, sink);
  }

  /** Gives up on a gap that has waited past the timeout (capture time `now`, µs); for flows that went quiet. */
  expire(now: number, sink: SequencerSink): void {
    this.#enforce(now, sink);
  }

  /** The capture ended: every gap is given up on and what was held behind it delivered. */
  flush(sink: SequencerSink): void {
    while (this.#held.length > 0) this.#skipGap(sink);
  }

  /** Bytes starting at `seq` at or before #next: the part already delivered is dropped, the rest delivered. */
  #deliver(seq: number, b: Buffer, fin: boolean, sink: SequencerSink): void {
    const next = this.#next!;
    const repeated = Math.min(b.length, -after(seq, next));
    if (repeated > 0) this.#counters.repeatedBytes += repeated;
    if (repeated < b.length) {
      sink.data(b.subarray(repeated));
      this.#next = (next + b.length - repeated) >>> 0;
    }
    // A FIN counts once its own sequence number is reached (after all its data).
    if (fin && after((seq + b.length) >>> 0, this.#next!) === 0) {
      this.#next = (this.#next! + 1) >>> 0;
      this.finished = true;
    }
  }

  /** Held segments that the stream has now reached, in order. */
  #drain(sink: SequencerSink): void {
    while (this.#held.length > 0 && after(this.#held[0]!.seq, this.#next!) <= 0) {
      const h = this.#held.shift()!;
      this.#heldBytes -= h.bytes.length;
      this.#deliver(h.seq, h.bytes, h.fin, sink);
    }
  }

  #hold(seq: number, b: Buffer, fin: boolean, ts: number): void {
    const next = this.#next!;
    const offset = after(seq, next);
    let i = this.#held.length;
    while (i > 0 && after(this.#held[i - 1]!.seq, next) > offset) i--;
    const same = this.#held[i - 1];
    if (same && same.seq === seq && same.bytes.length >= b.length && (same.fin || !fin)) {
      this.#counters.repeatedBytes += b.length; // a retransmission of a segment already held
      return;
    }
    this.#counters.outOfOrder++;
    if (this.#held.length === 0) this.#gapSince = ts;
    // A copy: the payload is a view into the reader's buffer, which moves on.
    this.#held.splice(i, 0, { seq, bytes: Buffer.from(b), fin, arrived: ts });
    this.#heldBytes += b.length;
  }

  #enforce(now: number, sink: SequencerSink): void {
    while (
      this.#held.length > 0 &&
      (this.#heldBytes > this.#limits.maxHeldBytes ||
        this.#held.length > this.#limits.maxHeldSegments ||
        now - this.#gapSince > this.#limits.gapTimeoutUs)
    )
      this.#skipGap(sink);
  }

  /** Jumps over the gap before the first held segment: counted, the sink told, then what follows delivered. */
  #skipGap(sink: SequencerSink): void {
    const first = this.#held[0]!;
    this.#counters.gapsSkipped++;
    this.#counters.missingBytes += Math.max(0, after(first.seq, this.#next!));
    this.#next = first.seq;
    sink.gap();
    this.#drain(sink);
    // The next gap's age: from the earliest arrival among what is still held.
    this.#gapSince = Number.POSITIVE_INFINITY;
    for (const h of this.#held) this.#gapSince = Math.min(this.#gapSince, h.arrived);
  }

  /** A new connection replaces this one: what was held behind a gap will never be delivered. */
  #drop(): void {
    if (this.#held.length > 0) {
      this.#counters.gapsSkipped++;
      this.#counters.missingBytes += this.#heldBytes;
    }
    this.#held = [];
    this.#heldBytes = 0;
  }
}
