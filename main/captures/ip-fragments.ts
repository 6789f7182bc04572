// IPv4/IPv6 fragment reassembly for `decap`: a full-size frame plus TZSP exceeds a 1500-byte MTU, so in a
// capture of the wire the biggest frames arrive as fragments. The capture file is outside input, so the state
// is bounded like a kernel's: datagrams and bytes in flight, datagrams per source, pieces per datagram, a
// timeout on the capture's clock, and no datagram past 65,535 bytes; overlapping pieces drop the datagram
// (RFC 5722: overlaps are how reassembly is used to hide traffic).

export interface IpPacket {
  src: string;
  dst: string;
  /** The transport protocol (IPv6: the fragment header's next header). */
  protocol: number;
  /** Zero-based byte offset of this piece in the transport payload; 0 and !more for an unfragmented packet. */
  offset: number;
  more: boolean;
  /** IPv4 identification or IPv6 fragment id. */
  id: number;
  payload: Buffer;
}

export interface FragmentLimits {
  /** Datagrams waiting for pieces. */
  maxDatagrams: number;
  /** Bytes held in waiting pieces. */
  maxBytes: number;
  /** Datagrams waiting per source address, so one sender cannot push out everyone else's. */
  perSource: number;
  /** Pieces per datagram (a 64 KB datagram over a 1280-byte MTU is 52). */
  maxParts: number;
  /** A datagram whose pieces span more than this (capture time) is abandoned, as Linux's ipfrag_time. */
  timeoutMs: number;
}

export const defaultFragmentLimits: FragmentLimits = {
  maxDatagrams: 4096,
  maxBytes: 16 * 1024 * 1024,
  perSource: 256,
  maxParts: 128,
  timeoutMs: 30_000,
};

/** The largest IP payload a fragment chain can rebuild (the 16-bit total length; jumbograms are not fragmented). */
const maxDatagram = 65_535;

export interface FragmentStats {
  /** Pieces whose datagram never completed: still waiting, timed out, or pushed out by the limits. */
  orphans: number;
  /** Pieces thrown away as hostile: overlapping, past 65,535 bytes, or one too many for their datagram. */
  dropped: number;
}

interface Pending {
  key: string;
  src: string;
  firstSeen: number;
  parts: { offset: number; data: Buffer }[];
  bytes: number;
  total: number | null;
}

export class FragmentReassembler {
  readonly #limits: FragmentLimits;
  /** In arrival order, so the oldest datagram is the first. */
  readonly #pending = new Map<string, Pending>();
  /** Each source's waiting datagrams, oldest first. */
  readonly #bySource = new Map<string, Set<Pending>>();
  #bytes = 0;
  #abandoned = 0;
  #dropped = 0;

  constructor(limits: Partial<FragmentLimits> = {}) {
    this.#limits = { ...defaultFragmentLimits, ...limits };
  }

  /** The whole transport payload once every piece is in (an unfragmented packet at once), else null. `now` is capture time in ms. */
  add(packet: IpPacket, now = 0): Buffer | null {
    if (packet.offset === 0 && !packet.more) return packet.payload;
    this.#expire(now);
    const end = packet.offset + packet.payload.length;
    if (end > maxDatagram || (packet.more && packet.payload.length === 0)) {
      this.#dropped++;
      return null;
    }
    const key = `${packet.src}|${packet.dst}|${packet.protocol}|${packet.id}`;
    const pending = this.#pending.get(key) ?? this.#open(key, packet.src, now);
    if (pending.parts.length >= this.#limits.maxParts || this.#overlaps(pending, packet.offset, end, packet.more)) {
      this.#dropped += pending.parts.length + 1;
      this.#close(pending);
      return null;
    }
    if (pending.parts.some((p) => p.offset === packet.offset && p.data.length === packet.payload.length)) return null; // a retransmitted copy
    // A copy: the payload is a view into the reader's multi-megabyte window, which must not stay pinned.
    pending.parts.push({ offset: packet.offset, data: Buffer.from(packet.payload) });
    pending.bytes += packet.payload.length;
    this.#bytes += packet.payload.length;
    if (!packet.more) pending.total = end;
    this.#shed(pending);
    if (!this.#pending.has(key) || pending.total === null || pending.bytes < pending.total) return null;
    // No overlaps, so the pieces cover the whole datagram exactly when their sizes add up to it.
    this.#close(pending);
    const whole = Buffer.alloc(pending.total);
    for (const part of pending.parts) part.data.copy(whole, part.offset);
    return whole;
  }

  /** Fragments that never completed (still waiting, timed out, or pushed out by the limits). */
  orphans(): number {
    let n = this.#abandoned;
    for (const p of this.#pending.values()) n += p.parts.length;
    return n;
  }

  stats(): FragmentStats {
    return { orphans: this.orphans(), dropped: this.#dropped };
  }

  /** A piece overlapping one already in (other than an exact copy), or contradicting the known end. */
  #overlaps(pending: Pending, offset: number, end: number, more: boolean): boolean {
    if (pending.total !== null && (end > pending.total || (!more && end !== pending.total))) return true;
    if (!more && pending.parts.some((p) => p.offset + p.data.length > end)) return true;
    return pending.parts.some(
      (p) => offset < p.offset + p.data.length && p.offset < end && !(p.offset === offset && p.data.length === end - offset),
    );
  }

  #open(key: string, src: string, now: number): Pending {
    const mine = this.#bySource.get(src);
    if (mine && mine.size >= this.#limits.perSource) this.#abandon(mine.values().next().value!);
    if (this.#pending.size >= this.#limits.maxDatagrams) this.#abandon(this.#pending.values().next().value!);
    const pending: Pending = { key, src, firstSeen: now, parts: [], bytes: 0, total: null };
    this.#pending.set(key, pending);
    this.#bySource.set(src, (this.#bySource.get(src) ?? new Set()).add(pending));
    return pending;
  }

  /** Over the byte limit: abandon the oldest datagrams (the newest piece's own last). */
  #shed(newest: Pending): void {
    for (const oldest of this.#pending.values()) {
      if (this.#bytes <= this.#limits.maxBytes) return;
      if (oldest !== newest) this.#abandon(oldest);
    }
    if (this.#bytes > this.#limits.maxBytes) this.#abandon(newest);
  }

  #expire(now: number): void {
    for (const oldest of this.#pending.values()) {
      if (now - oldest.firstSeen <= this.#limits.timeoutMs) return;
      this.#abandon(oldest);
    }
  }

  #abandon(pending: Pending): void {
    this.#abandoned += pending.parts.length;
    this.#close(pending);
  }

  #close(pending: Pending): void {
    this.#pending.delete(pending.key);
    this.#bytes -= pending.bytes;
    const mine = this.#bySource.get(pending.src);
    mine?.delete(pending);
    if (mine?.size === 0) this.#bySource.delete(pending.src);
  }
}
