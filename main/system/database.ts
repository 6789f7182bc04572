// The one SQLite database ($LANYARD_HOME/lanyard.db) shared by every service that keeps records
// (certificate inventory, history). Each service opens it with openDatabase() and applies its own
// numbered migrations with migrate(); ids are namespaced ('certs/001-inventory') so services never clash.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from './data-dir.ts';

export type Db = Database.Database;

export interface Migration {
  /** Unique across services and never reused: '<service>/<NNN>-<what>'. Applied in list order. */
  id: string;
  sql: string;
}

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'lanyard.db');

/** Open $dataDir/lanyard.db: folder 0700, file 0600 (SQLite gives -wal/-shm the same mode), WAL, foreign keys on. */
export function openDatabase(dataDir: string): Db {
  ensurePrivateDir(dataDir);
  const file = databaseFile(dataDir);
  // Create the file ourselves so it is never world-readable, even for a moment.
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Apply, each in its own transaction, the migrations not applied yet; returns the ids applied now. */
export function migrate(db: Db, migrations: readonly Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  const record = db.prepare("INSERT INTO schema_migrations (id, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
  const applied: string[] = [];
  for (const migration of migrations) {
    db.transaction(() => {
      // Checked inside the transaction: another process may have applied it a moment ago.
      if (done.get(migration.id)) return;
      db.exec(migration.sql);
      record.run(migration.id);
      applied.push(migration.id);
    }).immediate();
  }
  return applied;
}
