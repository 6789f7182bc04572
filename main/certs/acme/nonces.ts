// Replay nonces (RFC 8555 §6.5): each one is good once. The store is bounded: past the cap the oldest is forgotten,
// and a client holding it gets badNonce and retries with a fresh one, as the RFC expects clients to.
import { randomBytes } from 'node:crypto';

export class NonceStore {
  readonly cap: number;
  /** Insertion-ordered: the first key is the oldest. */
  #live = new Set<string>();
  /** How many were forgotten unused because the store was full. */
  evicted = 0;

  constructor(cap = 10_000) {
    this.cap = cap;
  }

  issue(): string {
    const nonce = randomBytes(16).toString('base64url');
    this.#live.add(nonce);
    if (this.#live.size > this.cap) {
      const oldest = this.#live.values().next().value as string;
      this.#live.delete(oldest);
      this.evicted++;
    }
    return nonce;
  }

  /** True once for a nonce this store issued; false when unknown, used or evicted. */
  consume(nonce: string): boolean {
    return this.#live.delete(nonce);
  }

  get size(): number {
    return this.#live.size;
  }
}
