// Bringing an existing database's history schema up to date, on the worker thread: a migration of a million runs
// rebuilds indexes for seconds, which the host's thread cannot give. A new database migrates in place (its tables
// are empty) and an up-to-date one costs one read.
import { openDatabase, toolMigrations } from '../system/database.ts';
import { runOnWorker } from './worker-thread.ts';

/** `onUpgrade` is told before an upgrade starts (not for a new database, nor one already up to date). */
export async function upgradeHistoryDb(dataDir: string, onUpgrade?: () => void): Promise<void> {
  const db = openDatabase(dataDir);
  let applied: Set<string>;
  try {
    applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  } finally {
    db.close();
  }
  const steps = toolMigrations('history');
  const done = steps.filter((m) => applied.has(m.id)).length;
  if (done === 0 || done === steps.length) return;
  onUpgrade?.();
  await runOnWorker({ task: 'upgrade', dataDir });
}
