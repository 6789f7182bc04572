// The messages between the service host and its pty host (pty-host-entry.ts), over the child's IPC channel.
// Both ends are Lanyard's own code in processes it started; the shell's output is only ever a string payload.

/** What the pty host needs to start a PTY: decided by the service host (shell, history hook, environment). */
export interface PtyLaunch {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export type ToPtyHost =
  | { t: 'open'; id: string; launch: PtyLaunch }
  | { t: 'input'; id: string; data: string }
  | { t: 'resize'; id: string; cols: number; rows: number }
  /** Characters the viewer has rendered: the pty host's flow control counts what is sent but not yet acked. */
  | { t: 'ack'; id: string; chars: number }
  | { t: 'kill'; id: string };

export type FromPtyHost =
  | { t: 'opened'; id: string; pid: number }
  | { t: 'failed'; id: string; message: string }
  /** Output, batched (output-batcher.ts). */
  | { t: 'data'; id: string; data: string }
  /** The PTY stopped (paused) or started again being read: for figures, the pty host decides. */
  | { t: 'flow'; id: string; paused: boolean }
  | { t: 'exit'; id: string; code: number | null; signal: number | null; durationMs: number };
