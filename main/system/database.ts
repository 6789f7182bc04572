// The one SQLite file every service shares ($LANYARD_HOME/lanyard.db) and the runner for its migrations. A tool's
// schema steps are the files of its folder's migrations/ (NNNN-name.ts, each exporting `migration`), found here by
// folder: a store opens the database for its tool and gets exactly its tool's steps, in file order.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { globOnDisk } from '../contract/glob-fallback.ts';
import { ensurePrivateDir } from './data-dir.ts';

export type Database = BetterSqlite3.Database;

/**
 * One schema step. Ids are `<tool>.<number>` (`history.1`, `certs.1`, the number its file's NNNN) so tools sharing
 * the file never collide; a tool's steps run in file order, each once, each in its own transaction. Append new
 * steps; never edit one that has shipped.
 */
export interface Migration {
  id: string;
  sql: string;
}

export const databaseFileName = 'lanyard.db';

// Eager: a step is a few lines of SQL, and opening a store must stay synchronous (the import worker opens it too).
const stepFiles = findStepFiles();

function findStepFiles(): Record<string, Migration> {
  try {
    return import.meta.glob<Migration>('../*/migrations/*.ts', { eager: true, import: 'migration' });
  } catch {
    return globOnDisk<Migration>(import.meta.url, '../*/migrations/*.ts', 'migration');
  }
}

/** A tool's schema steps, in order: main/<tool>/migrations/NNNN-name.ts, each id `<tool>.<NNNN as a number>`. */
export function toolMigrations(tool: string): Migration[] {
  const prefix = `../${tool}/migrations/`;
  return Object.keys(stepFiles)
    .filter((file) => file.startsWith(prefix))
    .sort()
    .map((file) => {
      const step = stepFiles[file]!;
      const name = file.slice(prefix.length);
      const id = `${tool}.${Number(name.slice(0, 4))}`;
      if (!/^\d{4}-[a-z0-9-]+\.ts$/.test(name) || step?.id !== id)
        throw new Error(`main/${tool}/migrations/${name} must be NNNN-name.ts exporting \`migration = { id: '${id}', sql }\``);
      return step;
    });
}

/**
 * Open a tool's store: the shared database with that tool's schema steps applied. `onUpgrade` is told once before
 * the first step when the database already had some of them (an upgrade, not a new file).
 */
export function openToolDatabase(dataDir: string, tool: string, onUpgrade?: () => void): Database {
  const db = openDatabase(dataDir);
  migrate(db, toolMigrations(tool), onUpgrade);
  return db;
}

/** Open (creating if needed) the shared database in WAL mode; the folder is 0700 and the files 0600. */
export function openDatabase(dataDir: string): Database {
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, databaseFileName);
  // Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the database file's mode.
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
  return db;
}

/**
 * Apply the migrations not yet applied; returns the ids it applied. `onUpgrade` is told once, before the first,
 * when the database already had some of them (an upgrade, which may take seconds on a big one; not a new file).
 */
export function migrate(db: Database, migrations: readonly Migration[], onUpgrade?: () => void): string[] {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (!/^[a-z][a-z0-9-]*\.\d+$/.test(m.id)) throw new Error(`migration id "${m.id}" must look like "<service>.<number>"`);
    if (seen.has(m.id)) throw new Error(`migration id "${m.id}" is listed twice`);
    seen.add(m.id);
  }
  // One read answers the common case, all applied, without taking the write lock once per migration.
  const known = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const pending = migrations.filter((m) => !known.has(m.id));
  if (pending.length === 0) return [];
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  const done: string[] = [];
  let told = !onUpgrade || !migrations.some((m) => known.has(m.id));
  for (const m of pending) {
    // Checked inside the write lock: another process may be migrating the same file right now.
    const applied = db
      .transaction(() => {
        if (isApplied.get(m.id)) return false;
        if (!told) {
          told = true;
          onUpgrade?.();
        }
        db.exec(m.sql);
        record.run(m.id, Date.now());
        return true;
      })
      .immediate();
    if (applied) done.push(m.id);
  }
  return done;
}
