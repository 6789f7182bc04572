import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../../../main/system/database.ts';
import { historyMigrations } from '../../../main/history/migrations.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../../main/history/store.ts';
import { tempDir } from '../../support/temp-dir.ts';

const run = (command: string, startedAt: number, dedupe: string | null = null): RunRecord => ({
  command, startedAt, durationMs: 1, exit: 0, cwd: '/', session: 's', host: 'h', user: 'u', shell: 'bash', source: 'test', dedupe,
});

describe('shared database', () => {
  it('creates the folder 0700 and the database 0600 (WAL files too), and runs each migration once', () => {
    const dir = path.join(tempDir(), 'home');
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const steps = [{ id: 'demo.1', sql: 'CREATE TABLE demo (x)' }, { id: 'demo.2', sql: 'ALTER TABLE demo ADD COLUMN y' }];
    expect(migrate(db, steps)).toEqual(['demo.1', 'demo.2']);
    expect(migrate(db, steps)).toEqual([]);
    db.prepare('INSERT INTO demo VALUES (1, 2)').run();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of ['lanyard.db', 'lanyard.db-wal', 'lanyard.db-shm']) expect(statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
    db.close();
  });

  it('rolls back a failing migration and refuses ids that are not <service>.<n>', () => {
    const db = openDatabase(tempDir());
    expect(() => migrate(db, [{ id: 'bad.1', sql: 'CREATE TABLE t (x); SELECT nope FROM nowhere' }])).toThrow();
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't'").pluck().get()).toBe(0);
    expect(() => migrate(db, [{ id: '1', sql: '' }])).toThrow(/service/);
    db.close();
  });
});

describe('history.1', () => {
  it('is the only step so far, and applies once', () => {
    expect(historyMigrations.map((m) => m.id)).toEqual(['history.1']);
    const dir = tempDir();
    openHistoryDb(dir).close();
    const db = openDatabase(dir);
    expect(migrate(db, historyMigrations)).toEqual([]);
  });

  it('keeps run counters, the last run and the trigram index in step with inserts and deletes', () => {
    const db = openHistoryDb(tempDir());
    const writer = runWriter(db);
    expect(writer.write([run('git status', 10, 'a'), run('git status', 30, 'b'), run('git status', 20, 'c'), run('ls', 5, 'd')])).toBe(4);
    expect(writer.write([run('git status', 10, 'a')])).toBe(0);
    const row = () => db.prepare("SELECT runs, last_at, (SELECT started_at FROM history_runs WHERE id = last_run) AS last FROM history_commands WHERE text = 'git status'").get();
    expect(row()).toEqual({ runs: 3, last_at: 30, last: 30 });
    const fts = (q: string) => db.prepare('SELECT count(*) FROM history_fts WHERE history_fts MATCH ?').pluck().get(q);
    expect(fts('"sta" AND "tat"')).toBe(1);
    db.prepare('DELETE FROM history_runs WHERE started_at = 30').run();
    expect(row()).toEqual({ runs: 2, last_at: 20, last: 20 });
    db.prepare("DELETE FROM history_runs WHERE command_id = (SELECT id FROM history_commands WHERE text = 'git status')").run();
    expect(row()).toBeUndefined();
    expect(fts('"sta" AND "tat"')).toBe(0);
    expect(db.prepare("SELECT count(*) FROM history_fts WHERE history_fts MATCH 'ls'").pluck().get()).toBe(0); // < 3 chars: the index has nothing
    expect(db.prepare('SELECT count(*) FROM history_commands').pluck().get()).toBe(1);
    db.close();
  });

  it('a re-imported run whose key exists leaves no orphan command behind', () => {
    const db = openHistoryDb(tempDir());
    const writer = runWriter(db);
    writer.write([run('one', 1, 'k')]);
    expect(writer.write([run('two', 1, 'k')])).toBe(0);
    expect(db.prepare('SELECT text FROM history_commands').pluck().all()).toEqual(['one']);
    db.close();
  });
});
