// A long sync's progress, in the data folder while it runs: `sync status` from another process (the CLI beside
// the app) and a Sync card opened halfway show how far a first sync of a big history has got.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { SyncStatus } from '../../history/contract.ts';
import { writeFileAtomic } from '../../system/atomic-file.ts';
import { processAlive } from '../../system/process-alive.ts';
import type { SyncProgress } from './engine.ts';

const progressFile = (dataDir: string) => path.join(dataDir, 'history', 'sync-progress.json');

export type RunningSync = NonNullable<SyncStatus['running']>;

/** Records progress for readers elsewhere; `done()` removes it when the sync ends, however it ends. */
export function progressWriter(dataDir: string): { update(p: SyncProgress): void; done(): void } {
  const file = progressFile(dataDir);
  const since = Date.now();
  return {
    update(p) {
      const running: RunningSync & { pid: number } = { ...p, since, pid: process.pid };
      writeFileAtomic(file, `${JSON.stringify(running)}\n`, 0o600);
    },
    done: () => rmSync(file, { force: true }),
  };
}

/** The sync running now, or null (none, or the process that ran it has gone). */
export function readProgress(dataDir: string): RunningSync | null {
  try {
    const v = JSON.parse(readFileSync(progressFile(dataDir), 'utf8')) as Partial<RunningSync & { pid: number }>;
    const ok =
      (v.phase === 'write' || v.phase === 'read') &&
      [v.done, v.total, v.since, v.pid].every((n) => typeof n === 'number' && Number.isSafeInteger(n));
    if (!ok || !processAlive(v.pid!)) return null;
    return { phase: v.phase!, done: v.done!, total: v.total!, since: v.since! };
  } catch {
    return null;
  }
}
