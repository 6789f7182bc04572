// One terminal: a PTY running the user's shell (or a command line), its output held until someone
// listens, and paused while too much of it is unacknowledged.
import os from 'node:os';
import path from 'node:path';
import { spawn, type IPty } from 'node-pty';
import type { TerminalEvent, TerminalInfo } from './contract.ts';
import { createFlowControl, type FlowControl } from './flow-control.ts';
import { launchWithHistoryHook, type HistoryHook } from './history-hook.ts';
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

export interface ExitInfo {
  code: number | null;
  signal: number | null;
  durationMs: number;
}

type Listener = (event: TerminalEvent) => void;

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
  readonly flow: FlowControl;
  kill(): void;
}

export function startSession(options: SessionOptions): Session {
  // A command line runs in the shell its quoting was written for (user-shell.ts commandShell).
  const shell = options.command ? commandShell(options.env).shell : userShell(options.env);
  const hooked = options.command || !options.history ? null : launchWithHistoryHook(shell, options.history, options.env);
  const launch = hooked ? { file: shell, args: hooked.args } : shellLaunch(shell, options.command);
  const cwd = options.cwd ?? os.homedir();
  const startedAt = performance.now();
  let cols = options.cols;
  let rows = options.rows;
  const pty: IPty = spawn(launch.file, launch.args, {
    name: 'xterm-256color',
    cols,
    rows,
    cwd,
    env: { ...terminalEnv(options.env), ...hooked?.env },
  });
  const flow = createFlowControl(
    () => pty.pause(),
    () => pty.resume(),
  );

  let held: TerminalEvent[] = [];
  let listener: { send: Listener; ended: () => void } | null = null;
  let exit: ExitInfo | null = null;
  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExit = resolve));

  const deliver = (event: TerminalEvent) => {
    if (event.type === 'data') flow.sent(event.data.length);
    if (!listener) return void held.push(event);
    listener.send(event);
    if (event.type === 'exit') listener.ended();
  };

  pty.onData((data) => deliver({ type: 'data', data }));
  pty.onExit(({ exitCode, signal }) => {
    exit = { code: signal ? null : exitCode, signal: signal || null, durationMs: Math.round(performance.now() - startedAt) };
    // node-pty can report exit before the last output is read: let pending data events run first.
    setTimeout(() => {
      deliver({ type: 'exit', ...exit! });
      resolveExit(exit!);
    }, 20);
  });

  return {
    info: () => ({
      id: options.id,
      title: options.title ?? (options.command ? options.command.slice(0, 60) : path.basename(shell)),
      shell,
      command: options.command ?? null,
      cwd,
      pid: pty.pid,
      cols,
      rows,
      exited: exit !== null,
    }),
    write: (data) => {
      if (!exit) pty.write(data);
    },
    resize: (c, r) => {
      cols = c;
      rows = r;
      if (!exit) pty.resize(c, r);
    },
    ack: (chars) => flow.acked(chars),
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
    flow,
    kill: () => {
      if (!exit) pty.kill();
    },
  };
}
