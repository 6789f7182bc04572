// A PTY's output, joined into fewer, larger messages across the process boundary (the pty host to the service
// host): the first chunk after a quiet spell goes at once, so typing echoes without delay; during a flood what
// arrives within one window goes as one message, or sooner once it reaches the size cap.
export const batchWindowMs = 16;
export const batchMaxChars = 64 * 1024;

export interface OutputBatcher {
  push(data: string): void;
  /** Send what is pending now (before the exit, say). */
  flush(): void;
  dispose(): void;
}

export function createOutputBatcher(send: (data: string) => void, windowMs = batchWindowMs, maxChars = batchMaxChars): OutputBatcher {
  let pending: string[] = [];
  let size = 0;
  let window: NodeJS.Timeout | null = null;
  const flush = () => {
    if (size === 0) return;
    const data = pending.length === 1 ? pending[0]! : pending.join('');
    pending = [];
    size = 0;
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
        flush();
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
