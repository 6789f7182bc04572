// Every SIP message counted the way `tshark -z sip,stat` counts them: all messages, the resent ones, requests by
// method and responses by code. Method names come from outside, so distinct names are capped.
import type { SipHead } from './sip-message.ts';

const maxMethods = 64;

export interface SipTallyFigures {
  messages: number;
  resent: number;
  methods: Record<string, number>;
  codes: Record<string, number>;
}

export class SipTally {
  messages = 0;
  resent = 0;
  readonly #methods = new Map<string, number>();
  readonly #codes = new Map<number, number>();

  add(head: SipHead, resent: boolean): void {
    this.messages++;
    if (resent) this.resent++;
    if (head.method) {
      const name = this.#methods.has(head.method) || this.#methods.size < maxMethods ? head.method : 'OTHER';
      this.#methods.set(name, (this.#methods.get(name) ?? 0) + 1);
    } else this.#codes.set(head.code, (this.#codes.get(head.code) ?? 0) + 1);
  }

  figures(): SipTallyFigures {
    return {
      messages: this.messages,
      resent: this.resent,
      methods: Object.fromEntries([...this.#methods].sort((a, b) => b[1] - a[1])),
      codes: Object.fromEntries([...this.#codes].sort((a, b) => a[0] - b[0]).map(([code, n]) => [String(code), n])),
    };
  }
}
