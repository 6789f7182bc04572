// A sync as a job for the history worker thread (worker-entry.ts): set up, join or sync now, on the worker's own
// SQLite connection, so that reading, decrypting and applying segments (a first sync of a million runs is a
// hundred of them) never holds the host's thread; WAL lets the host keep answering searches meanwhile.
import type { Database } from '../../system/database.ts';
import type { TargetConfig } from './config.ts';
import type { SyncProgress } from './engine.ts';
import { joinSync, setupSync, type SyncRun, syncNow } from './sync.ts';

export type SyncJob = {
  /** The host's environment (a git target runs the user's git with it). */
  env: Record<string, string | undefined>;
} & (
  | { op: 'now' }
  | { op: 'setup'; target: TargetConfig; name?: string }
  | { op: 'join'; target: TargetConfig; words: string; name?: string }
);

/** A sync's outcome; `words` is the new key's, after a setup. */
export type SyncJobResult = SyncRun & { words: string[] | null };

export async function runSyncJob(
  db: Database,
  dataDir: string,
  job: SyncJob,
  onProgress: (p: SyncProgress) => void,
): Promise<SyncJobResult> {
  if (job.op === 'setup') return await setupSync(db, dataDir, job.target, job.env, onProgress, job.name);
  if (job.op === 'join') return { ...(await joinSync(db, dataDir, job.target, job.words, job.env, onProgress, job.name)), words: null };
  return { ...(await syncNow(db, dataDir, job.env, onProgress)), words: null };
}
