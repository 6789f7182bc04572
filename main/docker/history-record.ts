// Every cheat run goes into History (cwd, exit code, duration), unless History is paused or the command
// holds a secret with secrets set to be dropped (else it is redacted) — the same rules the shell hooks follow.
import os from 'node:os';
import { historyPaths } from '../history/paths.ts';
import { secretFilter } from '../history/secrets.ts';
import { readSettings } from '../history/settings.ts';
import { openHistoryDb, runWriter } from '../history/store.ts';

export interface CheatRun {
  command: string;
  startedAt: number;
  durationMs: number;
  exit: number | null;
  cwd: string;
  shell: string;
}

export type RecordOutcome = 'recorded' | 'paused' | 'secret' | `failed: ${string}`;

export function recordCheatRun(dataDir: string, run: CheatRun): RecordOutcome {
  try {
    const paths = historyPaths(dataDir);
    const settings = readSettings(paths);
    if (settings.paused) return 'paused';
    const command = secretFilter(settings).apply(run.command);
    if (command === null) return 'secret';
    const db = openHistoryDb(dataDir);
    try {
      runWriter(db).write([
        {
          command,
          startedAt: run.startedAt,
          durationMs: run.durationMs,
          exit: run.exit,
          cwd: run.cwd,
          session: `lanyard-${process.pid}`,
          host: os.hostname(),
          user: os.userInfo().username,
          shell: run.shell,
          source: 'lanyard',
          dedupe: null,
        },
      ]);
    } finally {
      db.close();
    }
    return 'recorded';
  } catch (error) {
    // History failing must not fail the run the user asked for.
    return `failed: ${(error as Error).message}`;
  }
}
