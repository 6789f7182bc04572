// A cheat run in a terminal tab: rendered (or as the user edited it), confirmed when dangerous, its values
// remembered, and recorded in History with its exit code and duration once it ends.
import os from 'node:os';
import { ServiceError } from '../contract/errors.ts';
import type { TerminalInfo } from '../terminal/contract.ts';
import type { TerminalManager } from '../terminal/tool.ts';
import { findCheat, loadCheats } from './cheats.ts';
import { recordRun } from '../history/tool.ts';
import { remember } from './last-used.ts';
import type { DockerService } from './service.ts';

export interface RunRequest {
  id: string;
  values: Record<string, string>;
  command?: string | undefined;
  confirmed: boolean;
  cols: number;
  rows: number;
  cwd?: string | undefined;
}

export async function runInTerminal(
  docker: DockerService,
  terminals: TerminalManager,
  request: RunRequest,
  /** Points the terminal's docker (or podman) at the engine in use (service.cliEnvironment). */
  envChanges: Record<string, string | undefined> = {},
): Promise<{ terminal: TerminalInfo; command: string }> {
  const cheat = findCheat(loadCheats(docker.dataDir), request.id);
  const rendered = await docker.render(request.id, request.values);
  if (request.command === undefined && rendered.missing.length > 0)
    throw new ServiceError('invalid-argument', `Fill in ${rendered.missing.map((m) => `<${m}>`).join(', ')} first.`, {
      field: `params.values.${rendered.missing[0]}`,
    });
  if (cheat.danger && !request.confirmed)
    throw new ServiceError('invalid-argument', `"${cheat.title}" deletes or stops things; confirm before running it.`, {
      field: 'params.confirmed',
    });
  const command = request.command ?? rendered.command;
  remember(docker.dataDir, cheat.id, request.values);
  return runCommandInTerminal(docker, terminals, { ...request, command, title: cheat.title, envChanges });
}

/** A command line run in a new terminal tab, recorded in History with its exit code and duration once it ends. */
export async function runCommandInTerminal(
  docker: DockerService,
  terminals: TerminalManager,
  request: {
    command: string;
    title: string;
    cols: number;
    rows: number;
    cwd?: string | undefined;
    /** Points the terminal's docker (or podman) at the engine in use. */
    envChanges?: Record<string, string | undefined>;
  },
): Promise<{ terminal: TerminalInfo; command: string }> {
  const { command } = request;
  const cwd = request.cwd ?? os.homedir();
  const startedAt = Date.now();
  const session = await terminals.open({
    cols: request.cols,
    rows: request.rows,
    cwd,
    command,
    title: request.title,
    envChanges: request.envChanges ?? {},
  });
  const info = session.info();
  void session.exited.then((exit) =>
    recordRun(docker.dataDir, { command, startedAt, durationMs: exit.durationMs, exit: exit.code, cwd, shell: info.shell }),
  );
  return { terminal: info, command };
}
