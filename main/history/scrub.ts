// After commands were deleted or rewritten for privacy: the search index rebuilt without their texts, its freed
// pages zeroed, the WAL (which still holds the old pages) emptied. Runs on the worker thread: at a million runs the
// optimize is one SQLite step of most of a second.
import type { Database } from '../system/database.ts';

export function scrubFreedText(db: Database): void {
  db.pragma('secure_delete = ON');
  db.exec("INSERT INTO history_trigrams (history_trigrams) VALUES ('optimize')");
  db.pragma('wal_checkpoint(TRUNCATE)');
}
