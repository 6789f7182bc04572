import type { ServiceHandlers } from '../contract/handlers.ts';
import type { TerminalManager } from './manager.ts';

/** How long a terminal may go unwatched (a reload, a reconnect) before it is ended. */
const orphanGraceMs = 3000;

export function terminalHandlers(terminals: TerminalManager): ServiceHandlers<'terminal'> {
  return {
    methods: {
      'terminal.open': async (params) =>
        (
          await terminals.open({
            cols: params.cols,
            rows: params.rows,
            cwd: params.cwd,
            command: params.command,
            title: params.title,
            input: params.input,
          })
        ).info(),
      'terminal.list': () => terminals.list(),
      'terminal.input': (params) => (terminals.get(params.id).write(params.data), {}),
      'terminal.resize': (params) => (terminals.get(params.id).resize(params.cols, params.rows), {}),
      'terminal.ack': (params) => (terminals.get(params.id).ack(params.chars), {}),
      'terminal.close': (params) => (terminals.close(params.id), {}),
    },
    streams: {
      'terminal.output': (params, emit, signal) => {
        const session = terminals.get(params.id);
        return new Promise<void>((resolve) => {
          const detach = session.attach(emit, resolve);
          signal.addEventListener('abort', () => {
            detach();
            // The viewer went away (window closed, connection lost, host shutting down): a terminal nobody can
            // see or type into would run on forever and keep the host alive.
            terminals.closeIfUnwatched(params.id, orphanGraceMs);
            resolve();
          });
        });
      },
    },
  };
}
