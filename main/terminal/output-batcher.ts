// A PTY's output, joined into fewer, larger messages across the process boundary (the pty host to the service
// host): output after a quiet spell (a keystroke's echo, a prompt) goes at once; within a stream, what arrives
// within one window goes as one message, or sooner once it reaches the size cap. Each message costs the service
// host a wake-up and the viewer an ack, so a log burst should be one message, not one per line.
export const batchWindowMs = 16;
export const batchMaxChars = 64 * 1024;
/** Output after this long without any is not held back. */
export const quietAfterMs = 100;

export interface OutputBatcher {
  push(data: string): void;
  /** Send what is pending now (before the exit, say). */
  flush(): void;
  dispose(): void;
}

export interface BatchLimits {
  windowMs: number;
  maxChars: number;
  quietMs: number;
}

export function createOutputBatcher(
  send: (data: string) => void,
  { windowMs, maxChars, quietMs }: BatchLimits = { windowMs: batchWindowMs, maxChars: batchMaxChars, quietMs: quietAfterMs },
): OutputBatcher {
  let pending: string[] = [];
  let size = 0;
  let window: NodeJS.Timeout | null = null;
  let lastSent = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (size === 0) return;
    const data = pending.length === 1 ? pending[0]! : pending.join('');
    pending = [];
    size = 0;
    lastSent = performance.now();
    send(data);
  };
  const tick = () => {
    window = null;
    if (size === 0) return;
    flush();
    window = setTimeout(tick, windowMs);
  };
  return {
    push(data) {
      if (data.length === 0) return;
      // A message holds at most maxChars (node-pty's reads are at most 64 KB, so no single chunk is larger).
      if (size + data.length > maxChars) flush();
      pending.push(data);
      size += data.length;
      if (size >= maxChars) flush();
      if (window === null) {
        if (performance.now() - lastSent >= quietMs) flush();
        window = setTimeout(tick, windowMs);
      }
    },
    flush,
    dispose() {
      if (window !== null) clearTimeout(window);
      window = null;
      pending = [];
      size = 0;
    },
  };
}
