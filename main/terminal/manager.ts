// The open terminals of one service host; their PTYs live in its pty host (pty-host.ts), forked on the first.
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../contract/errors.ts';
import type { TerminalInfo } from './contract.ts';
import { userShell } from '../system/user-shell.ts';
import { retypeLine } from './retype.ts';
import type { HistoryHook } from './history-hook.ts';
import { createPtyHost } from './pty-host.ts';
import { startSession, type Session, type SessionOptions } from './session.ts';

export interface OpenOptions extends Omit<SessionOptions, 'id' | 'env' | 'history'> {
  /** A command from History, typed at the prompt once the shell starts (see retype.ts). */
  input?: { command: string; shell: string | null } | undefined;
  /** Variables set (or, undefined, removed) for this terminal only: Docker points its CLI at the engine in use. */
  envChanges?: Record<string, string | undefined> | undefined;
}

export interface TerminalManager {
  open(options: OpenOptions): Promise<Session>;
  get(id: string): Session;
  list(): TerminalInfo[];
  close(id: string): void;
  /** End a terminal nobody has listened to for graceMs (its window or browser tab went away). */
  closeIfUnwatched(id: string, graceMs: number): void;
  /** End every terminal and the pty host (the service host is shutting down). */
  closeAll(): void;
}

/** history: where History lives and its hook, so interactive shells get it; none for no hook. */
export function createTerminalManager(env: NodeJS.ProcessEnv, history?: HistoryHook): TerminalManager {
  const sessions = new Map<string, Session>();
  const ptys = createPtyHost();
  return {
    async open({ input, envChanges, ...options }) {
      const id = randomUUID();
      // Decided before the tab opens, so a command that cannot be typed opens nothing.
      const typed = input && !options.command ? retypeLine(input.command, input.shell, userShell(env), env) : null;
      let session: Session;
      try {
        session = await startSession({ ...options, id, env: envChanges ? { ...env, ...envChanges } : env, history }, ptys);
      } catch (error) {
        throw new ServiceError('failed', `Could not start a terminal: ${(error as Error).message}.`, {
          hint: 'Check that your shell ($SHELL) exists and the folder is readable.',
        });
      }
      sessions.set(id, session);
      if (typed) session.write(typed);
      return session;
    },
    get(id) {
      const session = sessions.get(id);
      if (!session) throw new ServiceError('not-found', `There is no terminal "${id}"; it may have been closed.`);
      return session;
    },
    list: () => [...sessions.values()].map((s) => s.info()),
    close(id) {
      sessions.get(id)?.kill();
      sessions.delete(id);
    },
    closeIfUnwatched(id, graceMs) {
      setTimeout(() => {
        const session = sessions.get(id);
        if (session && !session.watched()) this.close(id);
      }, graceMs);
    },
    closeAll() {
      for (const session of sessions.values()) session.kill();
      sessions.clear();
      ptys.close();
    },
  };
}
