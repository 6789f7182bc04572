// IPv4/IPv6 fragment reassembly for `decap`: a full-size frame plus TZSP exceeds a 1500-byte MTU, so in a
// capture of the wire the biggest frames arrive as fragments.

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

interface Pending {
  parts: { offset: number; data: Buffer }[];
  total: number | null;
}

/** Fragments waiting for their siblings are bounded: a capture full of orphans must not eat memory. */
const maxPending = 4096;

export class FragmentReassembler {
  readonly #pending = new Map<string, Pending>();
  #abandoned = 0;

  /** The whole transport payload once every piece is in (an unfragmented packet at once), else null. */
  add(packet: IpPacket): Buffer | null {
    if (packet.offset === 0 && !packet.more) return packet.payload;
    const key = `${packet.src}|${packet.dst}|${packet.protocol}|${packet.id}`;
    let pending = this.#pending.get(key);
    if (!pending) {
      if (this.#pending.size >= maxPending) {
        const oldest = this.#pending.keys().next().value as string;
        this.#abandoned += this.#pending.get(oldest)!.parts.length;
        this.#pending.delete(oldest);
      }
      pending = { parts: [], total: null };
      this.#pending.set(key, pending);
    }
    pending.parts.push({ offset: packet.offset, data: packet.payload });
    if (!packet.more) pending.total = packet.offset + packet.payload.length;
    if (pending.total === null) return null;
    const parts = [...pending.parts].sort((a, b) => a.offset - b.offset);
    let covered = 0;
    for (const part of parts) {
      if (part.offset > covered) return null; // a hole: wait for more
      covered = Math.max(covered, part.offset + part.data.length);
    }
    if (covered < pending.total) return null;
    this.#pending.delete(key);
    const whole = Buffer.alloc(pending.total);
    for (const part of parts) part.data.copy(whole, part.offset, 0, Math.min(part.data.length, pending.total - part.offset));
    return whole;
  }

  /** Fragments that never completed (still waiting, or pushed out by newer ones). */
  orphans(): number {
    let n = this.#abandoned;
    for (const p of this.#pending.values()) n += p.parts.length;
    return n;
  }
}
