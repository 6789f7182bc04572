// A run another tool started (a Docker cheat, say) goes into History with its cwd, exit code and duration,
// unless History is paused or the command holds a secret with secrets set to be dropped (else it is redacted):
// the same rules the shell hooks follow, kept here so no other tool re-implements them.
import os from 'node:os';
import { historyPaths } from './paths.ts';
import { secretFilter } from './secrets.ts';
import { readSettings } from './settings.ts';
import { openHistoryDb, runWriter } from './store.ts';

export interface RecordedRun {
  command: string;
  startedAt: number;
  durationMs: number;
  exit: number | null;
  cwd: string;
  shell: string;
}

export type RecordOutcome = 'recorded' | 'paused' | 'secret' | `failed: ${string}`;

export function recordRun(dataDir: string, run: RecordedRun): RecordOutcome {
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
