// The service host's side of the pty host (pty-host-entry.ts): forked on the first terminal, messages routed to
// each terminal by id, and, if the process dies, every open terminal ended with a message saying so; the next
// terminal forks a new one.
import { entryScript } from '../system/entry-script.ts';
import type { ChildProcess } from 'node:child_process';
import { forkHelper } from '../system/helper-process.ts';
import type { FromPtyHost, PtyLaunch, ToPtyHost } from './pty-protocol.ts';

export interface PtyExit {
  code: number | null;
  signal: number | null;
  durationMs: number;
}

/** What one terminal hears from its PTY. */
export interface PtyEvents {
  data(data: string): void;
  flow(paused: boolean): void;
  exit(exit: PtyExit): void;
}

export interface PtyHost {
  /** Start a PTY; resolves with its process id once it runs, rejects if it could not start. */
  open(id: string, launch: PtyLaunch, events: PtyEvents): Promise<number>;
  input(id: string, data: string): void;
  resize(id: string, cols: number, rows: number): void;
  ack(id: string, chars: number): void;
  kill(id: string): void;
  /** End the pty host and with it every PTY (the service host is shutting down). */
  close(): void;
}

/** Written into every open terminal when the pty host dies under it. */
export const ptyHostDiedMessage = '\r\n\x1b[31mterminal process ended unexpectedly; open a new terminal\x1b[0m\r\n';

interface Open {
  events: PtyEvents;
  startedAt: number;
  opening: { resolve(pid: number): void; reject(error: Error): void } | null;
}

export function createPtyHost(): PtyHost {
  let child: ChildProcess | null = null;
  const open = new Map<string, Open>();

  // A live terminal keeps the service host running, as a PTY of its own would; an idle pty host does not.
  const holdWhileOpen = () => {
    const channel = child?.channel;
    if (!channel) return;
    if (open.size > 0) channel.ref();
    else channel.unref();
  };

  const receive = (message: FromPtyHost) => {
    const terminal = open.get(message.id);
    if (!terminal) return;
    switch (message.t) {
      case 'opened':
        terminal.opening?.resolve(message.pid);
        terminal.opening = null;
        return;
      case 'failed':
        open.delete(message.id);
        holdWhileOpen();
        return terminal.opening?.reject(new Error(message.message));
      case 'data':
        return terminal.events.data(message.data);
      case 'flow':
        return terminal.events.flow(message.paused);
      case 'exit':
        open.delete(message.id);
        holdWhileOpen();
        return terminal.events.exit({ code: message.code, signal: message.signal, durationMs: message.durationMs });
    }
  };

  /** The pty host went away: on purpose (close) or not (killed, crashed). Its terminals end either way. */
  const ended = (which: ChildProcess, deliberate: boolean) => {
    if (child !== which) return;
    child = null;
    const ends = [...open.values()];
    open.clear();
    for (const terminal of ends) {
      if (terminal.opening) {
        terminal.opening.reject(new Error('the terminal process ended before the shell started'));
        continue;
      }
      if (!deliberate) terminal.events.data(ptyHostDiedMessage);
      // SIGHUP is what the shells get when the pty host's end of their PTY closes.
      terminal.events.exit({ code: null, signal: 1, durationMs: Math.round(performance.now() - terminal.startedAt) });
    }
  };

  const start = (): ChildProcess => {
    const forked = forkHelper(entryScript(import.meta.url, 'pty-host.js', 'pty-host-entry.ts', 'the pty host'));
    forked.on('message', (message: FromPtyHost) => receive(message));
    forked.on('exit', () => ended(forked, false));
    forked.on('error', () => ended(forked, false));
    forked.unref();
    return forked;
  };

  const post = (message: ToPtyHost) => {
    if (child?.connected) child.send(message);
  };

  return {
    open(id, launch, events) {
      child ??= start();
      const opened = new Promise<number>((resolve, reject) => {
        open.set(id, { events, startedAt: performance.now(), opening: { resolve, reject } });
      });
      holdWhileOpen();
      post({ t: 'open', id, launch });
      return opened;
    },
    input: (id, data) => post({ t: 'input', id, data }),
    resize: (id, cols, rows) => post({ t: 'resize', id, cols, rows }),
    ack: (id, chars) => post({ t: 'ack', id, chars }),
    kill: (id) => post({ t: 'kill', id }),
    close() {
      const closing = child;
      if (!closing) return;
      ended(closing, true);
      // Disconnecting is the pty host's cue to hang up its PTYs and exit (pty-host-entry.ts).
      if (closing.connected) closing.disconnect();
    },
  };
}
