// SCTP (RFC 9260) as far as SIP over SCTP (RFC 4168) needs it: the common header, a walk over the chunks, and the
// DATA chunks' user messages, fragmented ones rebuilt from their B/E flags and consecutive TSNs. One SIP message
// per user message (RFC 4168 §4), so what comes out is framed already. Every packet is outside input: chunk lengths
// checked against the packet, at most `maxChunks` chunks read from one packet, fragments held in one bounded
// table (oldest evicted, counted), a message larger than `maxMessage` or of more than `maxFragments` pieces dropped
// (counted or left to eviction). I-DATA (RFC 8260) and
// the checksum are not read.

export interface SctpMessage<T = never> {
  sport: number;
  dport: number;
  stream: number;
  /** Payload protocol identifier: 0 unspecified (what RFC 4168 asks of SIP), else the sender's own. */
  ppid: number;
  /** A view into the packet, or a new buffer for a rebuilt message: valid during the visit. */
  payload: Buffer;
  /** For a message rebuilt from fragments, what `keep` returned for each earlier packet that carried a piece. */
  earlier: readonly T[];
}

export interface SctpTotals {
  packets: number;
  /** DATA chunks read (whole messages and fragments). */
  dataChunks: number;
  messages: number;
  /** Packets cut short, chunks whose length lies, DATA chunks without their header. */
  malformed: number;
  /** Packets with more than `maxChunks` chunks: the rest not read. */
  chunksSkipped: number;
  /** Fragments evicted before their message was complete, or of a message past `maxMessage`. */
  fragmentsDropped: number;
}

export interface SctpLimits {
  maxChunks: number;
  maxMessage: number;
  /** Fragments one message may have: bounds the walk each fragment's arrival makes (so work per packet is bounded). */
  maxFragments: number;
  maxHeldFragments: number;
  maxHeldBytes: number;
}

export const defaultSctpLimits: SctpLimits = {
  maxChunks: 256,
  maxMessage: 256 * 1024,
  maxFragments: 256,
  maxHeldFragments: 4096,
  maxHeldBytes: 8 << 20,
};

interface Fragment<T> {
  /** What the caller keeps of the packet this fragment came in (export keeps its frame). */
  kept: T | undefined;
  begin: boolean;
  end: boolean;
  stream: number;
  ppid: number;
  data: Buffer;
}

const flagEnd = 1;
const flagBegin = 2;

const none: readonly never[] = [];

export class SctpReader<T = never> {
  readonly totals: SctpTotals = { packets: 0, dataChunks: 0, messages: 0, malformed: 0, chunksSkipped: 0, fragmentsDropped: 0 };
  readonly #limits: SctpLimits;
  /** "flow|tsn" → fragment, oldest first (the eviction order). */
  readonly #held = new Map<string, Fragment<T>>();
  #heldBytes = 0;

  constructor(limits: Partial<SctpLimits> = {}) {
    this.#limits = { ...defaultSctpLimits, ...limits };
  }

  /**
   * Every user message complete with this packet (an SCTP packet: the IP payload), in chunk order. `keep`, when
   * given, is called once if the packet leaves a fragment held; a rebuilt message lists what it returned.
   */
  read(src: string, dst: string, packet: Buffer, visit: (m: SctpMessage<T>) => void, keep?: () => T): void {
    this.totals.packets++;
    if (packet.length < 12) {
      this.totals.malformed++;
      return;
    }
    const sport = packet.readUInt16BE(0);
    const dport = packet.readUInt16BE(2);
    let chunks = 0;
    let kept: T | undefined;
    const keepOnce = keep ? () => (kept ??= keep()) : () => undefined;
    for (let at = 12; at + 4 <= packet.length; ) {
      if (++chunks > this.#limits.maxChunks) {
        this.totals.chunksSkipped++;
        return;
      }
      const type = packet[at]!;
      const flags = packet[at + 1]!;
      const length = packet.readUInt16BE(at + 2);
      if (length < 4 || at + length > packet.length) {
        this.totals.malformed++;
        return;
      }
      if (type === 0) {
        if (length < 16) this.totals.malformed++;
        else {
          this.totals.dataChunks++;
          const fragment: Fragment<T> = {
            kept: undefined,
            begin: (flags & flagBegin) !== 0,
            end: (flags & flagEnd) !== 0,
            stream: packet.readUInt16BE(at + 8),
            ppid: packet.readUInt32BE(at + 12),
            data: packet.subarray(at + 16, at + length),
          };
          if (fragment.begin && fragment.end) this.#emit(sport, dport, fragment.stream, fragment.ppid, fragment.data, none, visit);
          else
            this.#fragment(
              `${src}|${sport}|${dst}|${dport}`,
              packet.readUInt32BE(at + 4),
              fragment,
              sport,
              dport,
              visit,
              keepOnce,
              () => kept,
            );
        }
      }
      at += (length + 3) & ~3; // chunks are padded to 4 bytes; the last one's padding may be absent
    }
  }

  /** Fragments held now, and their bytes. */
  held(): { fragments: number; bytes: number } {
    return { fragments: this.#held.size, bytes: this.#heldBytes };
  }

  #emit(
    sport: number,
    dport: number,
    stream: number,
    ppid: number,
    payload: Buffer,
    earlier: readonly T[],
    visit: (m: SctpMessage<T>) => void,
  ): void {
    this.totals.messages++;
    visit({ sport, dport, stream, ppid, payload, earlier });
  }

  /** Hold a fragment; when it completes its message (B … E with every TSN between), rebuild and emit it. */
  #fragment(
    flow: string,
    tsn: number,
    f: Fragment<T>,
    sport: number,
    dport: number,
    visit: (m: SctpMessage<T>) => void,
    keep: () => T | undefined,
    keptNow: () => T | undefined,
  ): void {
    const key = `${flow}|${tsn}`;
    if (this.#held.has(key)) return; // a retransmission of a fragment already held
    const maxPieces = this.#limits.maxFragments;
    // Find the message's first and last TSN around this one, within what a message may span.
    let first = tsn;
    let firstFragment = f;
    for (let n = 0; !firstFragment.begin; n++) {
      const previous = n < maxPieces ? this.#held.get(`${flow}|${(first - 1) >>> 0}`) : undefined;
      if (!previous) break;
      first = (first - 1) >>> 0;
      firstFragment = previous;
    }
    let last = tsn;
    let lastFragment = f;
    for (let n = 0; !lastFragment.end; n++) {
      const next = n < maxPieces ? this.#held.get(`${flow}|${(last + 1) >>> 0}`) : undefined;
      if (!next) break;
      last = (last + 1) >>> 0;
      lastFragment = next;
    }
    if (!firstFragment.begin || !lastFragment.end) {
      this.#hold(key, { ...f, kept: keep(), data: Buffer.from(f.data) }); // the packet's buffer is not ours to keep
      return;
    }
    const pieces: Buffer[] = [];
    const earlier: T[] = [];
    let size = 0;
    for (let t = first; ; t = (t + 1) >>> 0) {
      const piece = t === tsn ? f : this.#held.get(`${flow}|${t}`)!;
      if (t !== tsn) this.#release(`${flow}|${t}`);
      pieces.push(piece.data);
      size += piece.data.length;
      // Each earlier packet once, this packet never (its own frame comes with the visit).
      if (piece.kept !== undefined && piece.kept !== keptNow() && earlier.at(-1) !== piece.kept) earlier.push(piece.kept);
      if (t === last) break;
    }
    if (size > this.#limits.maxMessage) {
      this.totals.fragmentsDropped += pieces.length;
      return;
    }
    this.#emit(sport, dport, firstFragment.stream, firstFragment.ppid, Buffer.concat(pieces, size), earlier, visit);
  }

  #hold(key: string, f: Fragment<T>): void {
    while (
      this.#held.size > 0 &&
      (this.#held.size >= this.#limits.maxHeldFragments || this.#heldBytes + f.data.length > this.#limits.maxHeldBytes)
    ) {
      this.#release(this.#held.keys().next().value!);
      this.totals.fragmentsDropped++;
    }
    this.#held.set(key, f);
    this.#heldBytes += f.data.length;
  }

  #release(key: string): void {
    const f = this.#held.get(key);
    if (!f) return;
    this.#heldBytes -= f.data.length;
    this.#held.delete(key);
  }
}
