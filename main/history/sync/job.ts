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
  // A commit copies the WAL into the database once it passes this many pages (SQLite's default 1,000): the segments'
  // random index keys dirty pages all over, so at the default each page was copied again and again (1M-run first
  // sync, see the sync bench). The host thread must not inherit the long WAL: it is copied here before the job ends.
  db.pragma(`wal_autocheckpoint = ${syncCheckpointPages}`);
  try {
    if (job.op === 'setup') return await setupSync(db, dataDir, job.target, job.env, onProgress, job.name);
    if (job.op === 'join') return { ...(await joinSync(db, dataDir, job.target, job.words, job.env, onProgress, job.name)), words: null };
    return { ...(await syncNow(db, dataDir, job.env, onProgress)), words: null };
  } finally {
    db.pragma('wal_checkpoint(PASSIVE)');
  }
}

/** ~40 MB of WAL between checkpoints during a sync. */
export const syncCheckpointPages = 10_000;
