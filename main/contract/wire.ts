// The messages every transport carries (in-process, MessagePort, WebSocket).
// Plain data only: they must survive structured clone and JSON alike.

export type ErrorCode = 'invalid-argument' | 'unknown-method' | 'not-found' | 'unavailable' | 'failed' | 'cancelled' | 'internal';

export interface WireError {
  code: ErrorCode;
  /** A sentence a person can act on. */
  message: string;
  /** For invalid-argument: the offending field, dotted (`params.port`). */
  field?: string;
  /** What to do about it, when we know. */
  hint?: string;
}

export type ClientMessage =
  | { t: 'req'; id: number; method: string; params: unknown }
  | { t: 'sub'; id: number; stream: string; params: unknown }
  | { t: 'unsub'; id: number };

export type HostMessage =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: WireError }
  | { t: 'evt'; id: number; data: unknown }
  | { t: 'end'; id: number; error?: WireError };

/** One side of a message channel; every transport adapts to this. */
export interface Channel<In, Out> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
  onClose(listener: () => void): void;
}
