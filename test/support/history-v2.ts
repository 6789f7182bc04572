// Runs written into a database still at history.2 (an upgrade test's "old" file): today's writer, with the columns
// history.4 added present only while it writes, so the file left behind has history.2's schema.
import type { Database } from '../../main/system/database.ts';
import { runWriter, type RunRecord } from '../../main/history/store.ts';

export function writeAsHistory2(db: Database, runs: RunRecord[]): void {
  db.exec('ALTER TABLE history_runs ADD COLUMN uid BLOB; ALTER TABLE history_runs ADD COLUMN origin INTEGER');
  runWriter(db).write(runs);
  db.exec('ALTER TABLE history_runs DROP COLUMN uid; ALTER TABLE history_runs DROP COLUMN origin');
}
