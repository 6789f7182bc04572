// One WebSocket as the host's Channel, with the bounds an outside peer must not exceed. Whatever it sends that is
// not a JSON text message is dropped and counted; a peer that floods or stops reading is disconnected.
import type { WebSocket } from 'ws';
import type { Channel, ClientMessage, HostMessage } from '../../contract/wire.ts';

export const wsLimits = {
  /** The largest message: terminal.write takes up to 1,000,000 characters, at most 6 bytes each once JSON-escaped. */
  maxMessageBytes: 8 * 1024 * 1024,
  /** Open WebSockets at once (one per browser tab). */
  maxConnections: 16,
  /** Messages a connection may send: a bucket of this many, refilled at ratePerSecond (keystrokes, acks, requests). */
  burstMessages: 2000,
  ratePerSecond: 1000,
  /** A peer that lets this much of our output queue up unread is cut off instead of growing our memory. */
  maxBufferedBytes: 32 * 1024 * 1024,
} as const;

export type DropReason = 'binary' | 'not-json' | 'malformed' | 'too-large' | 'bad-frame' | 'rate' | 'slow-reader' | 'too-many-connections';

/** Counts what was dropped; logs a reason's 1st, 2nd, 4th, 8th… occurrence so a flood cannot flood the log too. */
export class DropCounter {
  readonly counts = new Map<DropReason, number>();
  private readonly log: (line: string) => void;
  constructor(log: (line: string) => void) {
    this.log = log;
  }

  add(reason: DropReason, detail: string): void {
    const count = (this.counts.get(reason) ?? 0) + 1;
    this.counts.set(reason, count);
    if ((count & (count - 1)) === 0) this.log(`lanyard serve: dropped (${reason}, ${count} so far): ${detail}`);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** A token bucket: true while the peer is within its rate. */
function rateLimiter(burst: number, perSecond: number, now: () => number = () => performance.now()): () => boolean {
  let tokens = burst;
  let last = now();
  return () => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSecond);
    last = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

export function wsChannel(socket: WebSocket, dropped: DropCounter): Channel<ClientMessage, HostMessage> {
  const withinRate = rateLimiter(wsLimits.burstMessages, wsLimits.ratePerSecond);
  // ws reports an oversized message (1009) or a broken frame (invalid UTF-8, bad opcode…) as an error and closes the
  // socket itself; without a listener that error would be thrown and take the whole server down.
  socket.on('error', (error: Error & { code?: string }) =>
    dropped.add(error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'too-large' : 'bad-frame', error.message),
  );
  return {
    send: (message) => {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > wsLimits.maxBufferedBytes) {
        dropped.add('slow-reader', `${socket.bufferedAmount} bytes unread`);
        socket.terminate();
        return;
      }
      socket.send(JSON.stringify(message));
    },
    onMessage: (listener) =>
      void socket.on('message', (data, isBinary) => {
        if (!withinRate()) {
          dropped.add('rate', `more than ${wsLimits.ratePerSecond} messages a second`);
          socket.close(1008, 'message rate exceeded');
          return;
        }
        if (isBinary) return dropped.add('binary', 'the contract is JSON text');
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          return dropped.add('not-json', 'a message that is not JSON');
        }
        listener(parsed as ClientMessage);
      }),
    onClose: (listener) => void socket.on('close', listener),
  };
}
