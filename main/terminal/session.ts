// One terminal as the service host sees it: a PTY in the pty host (pty-host.ts) running the user's shell (or a
// command line), its output held until someone listens, acknowledgements passed on to the pty host, which pauses
// the PTY while too much of its output is unacknowledged (flow-control.ts).
import os from 'node:os';
import path from 'node:path';
import type { TerminalEvent, TerminalInfo } from './contract.ts';
import { launchWithHistoryHook, type HistoryHook } from './history-hook.ts';
import type { PtyExit, PtyHost } from './pty-host.ts';
import { commandShell, userShell } from '../system/user-shell.ts';
import { shellLaunch, terminalEnv } from './shell.ts';

export interface SessionOptions {
  id: string;
  cols: number;
  rows: number;
  cwd?: string | undefined;
  command?: string | undefined;
  title?: string | undefined;
  env: NodeJS.ProcessEnv;
  /** History's hook for interactive shells. None: no hook (tests, benches). */
  history?: HistoryHook | undefined;
}

export type ExitInfo = PtyExit;

/**
 * Acks go on to the pty host in bunches: at once while it is paused (it waits for them), else once this many chars
 * have gathered or after ackBatchMs — a paced stream's many small acks cost the service host few messages. The pty
 * host sees at most that many chars more unacknowledged than there are, well under the 100,000 it pauses at.
 */
export const ackBatchChars = 16_384;
export const ackBatchMs = 50;

type Listener = (event: TerminalEvent) => void;

/** Flow control as seen from the service host, for figures: the pty host decides when to pause. */
export interface FlowState {
  /** Characters delivered to the viewer (or held for it) and not yet acknowledged. */
  readonly unacked: number;
  readonly paused: boolean;
}

export interface Session {
  info(): TerminalInfo;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  ack(chars: number): void;
  /** Listen to output (held output first); a new listener replaces the old one. `ended` runs after the exit event. */
  attach(listener: Listener, ended: () => void): () => void;
  /** Whether someone listens to the output now. */
  watched(): boolean;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  readonly flow: FlowState;
  kill(): void;
}

export async function startSession(options: SessionOptions, ptys: PtyHost): Promise<Session> {
  // A command line runs in the shell its quoting was written for (user-shell.ts commandShell).
  const shell = options.command ? commandShell(options.env).shell : userShell(options.env);
  const hooked = options.command || !options.history ? null : launchWithHistoryHook(shell, options.history, options.env);
  const launch = hooked ? { file: shell, args: hooked.args } : shellLaunch(shell, options.command);
  const cwd = options.cwd ?? os.homedir();
  const { id } = options;
  let cols = options.cols;
  let rows = options.rows;

  let held: TerminalEvent[] = [];
  let listener: { send: Listener; ended: () => void } | null = null;
  let exit: ExitInfo | null = null;
  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));
  let unacked = 0;
  let paused = false;
  let ackPending = 0;
  let ackTimer: NodeJS.Timeout | null = null;
  const forwardAcks = () => {
    if (ackTimer !== null) clearTimeout(ackTimer);
    ackTimer = null;
    if (ackPending > 0 && !exit) ptys.ack(id, ackPending);
    ackPending = 0;
  };

  const deliver = (event: TerminalEvent) => {
    if (event.type === 'data') unacked += event.data.length;
    if (!listener) return void held.push(event);
    listener.send(event);
    if (event.type === 'exit') listener.ended();
  };

  const pid = await ptys.open(
    id,
    { ...launch, cwd, cols, rows, env: { ...terminalEnv(options.env), ...hooked?.env } },
    {
      data: (data) => deliver({ type: 'data', data }),
      flow: (isPaused) => {
        paused = isPaused;
        if (paused) forwardAcks();
      },
      exit: (info) => {
        exit = info;
        forwardAcks();
        deliver({ type: 'exit', ...info });
        resolveExit(info);
      },
    },
  );

  return {
    info: () => ({
      id,
      title: options.title ?? (options.command ? options.command.slice(0, 60) : path.basename(shell)),
      shell,
      command: options.command ?? null,
      cwd,
      pid,
      cols,
      rows,
      exited: exit !== null,
    }),
    write: (data) => {
      if (!exit) ptys.input(id, data);
    },
    resize: (c, r) => {
      cols = c;
      rows = r;
      if (!exit) ptys.resize(id, c, r);
    },
    ack: (chars) => {
      unacked = Math.max(0, unacked - chars);
      if (exit) return;
      ackPending += chars;
      if (paused || ackPending >= ackBatchChars) forwardAcks();
      else ackTimer ??= setTimeout(forwardAcks, ackBatchMs);
    },
    attach(send, ended) {
      listener?.ended();
      const mine = { send, ended };
      listener = mine;
      const backlog = held;
      held = [];
      for (const event of backlog) {
        send(event);
        if (event.type === 'exit') ended();
      }
      return () => {
        if (listener === mine) listener = null;
      };
    },
    watched: () => listener !== null,
    exited,
    flow: {
      get unacked() {
        return unacked;
      },
      get paused() {
        return paused;
      },
    },
    kill: () => {
      if (!exit) ptys.kill(id);
    },
  };
}
