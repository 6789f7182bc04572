import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchQuery } from '../../../main/history/contract.ts';
import { migrate, openDatabase, type Database, toolMigrations } from '../../../main/system/database.ts';
import { search } from '../../../main/history/search/search.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../../main/history/store.ts';
import { indexedText, trigramsOf } from '../../../main/history/search/trigrams.ts';
import { writeAsHistory2 } from '../../support/history-v2.ts';
import { tempDir } from '../../support/temp-dir.ts';

const historyMigrations = toolMigrations('history');

const run = (command: string, startedAt: number, dedupe: string | null = null): RunRecord => ({
  command,
  startedAt,
  durationMs: 1,
  exit: 0,
  cwd: '/',
  session: 's',
  host: 'h',
  user: 'u',
  shell: 'bash',
  source: 'test',
  dedupe,
});

describe('shared database', () => {
  it('creates the folder 0700 and the database 0600 (WAL files too), and runs each migration once', () => {
    const dir = path.join(tempDir(), 'home');
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const steps = [
      { id: 'demo.1', sql: 'CREATE TABLE demo (x)' },
      { id: 'demo.2', sql: 'ALTER TABLE demo ADD COLUMN y' },
    ];
    expect(migrate(db, steps)).toEqual(['demo.1', 'demo.2']);
    expect(migrate(db, steps)).toEqual([]);
    db.prepare('INSERT INTO demo VALUES (1, 2)').run();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of ['lanyard.db', 'lanyard.db-wal', 'lanyard.db-shm']) expect(statSync(path.join(dir, f)).mode & 0o777, f).toBe(0o600);
    db.close();
  });

  it('tells of an upgrade of an existing database once, before it, and not of a new one', () => {
    const db = openDatabase(tempDir());
    const steps = [
      { id: 'demo.1', sql: 'CREATE TABLE demo (x)' },
      { id: 'demo.2', sql: 'ALTER TABLE demo ADD COLUMN y' },
      { id: 'demo.3', sql: 'ALTER TABLE demo ADD COLUMN z' },
    ];
    const told: string[] = [];
    const tell = () => told.push(db.prepare('SELECT group_concat(id) FROM schema_migrations').pluck().get() as string);
    expect(migrate(db, steps.slice(0, 1), tell)).toEqual(['demo.1']);
    expect(told).toEqual([]);
    expect(migrate(db, steps, tell)).toEqual(['demo.2', 'demo.3']);
    expect(told).toEqual(['demo.1']);
    expect(migrate(db, steps, tell)).toEqual([]);
    expect(told).toHaveLength(1);
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

describe('history migrations', () => {
  it('run in order, each once', () => {
    expect(historyMigrations.map((m) => m.id)).toEqual(['history.1', 'history.2', 'history.3', 'history.4']);
    const dir = tempDir();
    openHistoryDb(dir).close();
    const db = openDatabase(dir);
    expect(migrate(db, historyMigrations)).toEqual([]);
  });
});

describe('history.1', () => {
  it('keeps run counters and the last run in step with inserts and deletes', () => {
    const db = openHistoryDb(tempDir());
    const writer = runWriter(db);
    expect(writer.write([run('git status', 10, 'a'), run('git status', 30, 'b'), run('git status', 20, 'c'), run('ls', 5, 'd')])).toBe(4);
    expect(writer.write([run('git status', 10, 'a')])).toBe(0);
    const row = () =>
      db
        .prepare(
          "SELECT runs, last_at, (SELECT started_at FROM history_runs WHERE id = last_run) AS last FROM history_commands WHERE text = 'git status'",
        )
        .get();
    expect(row()).toEqual({ runs: 3, last_at: 30, last: 30 });
    db.prepare('DELETE FROM history_runs WHERE started_at = 30').run();
    expect(row()).toEqual({ runs: 2, last_at: 20, last: 20 });
    db.prepare("DELETE FROM history_runs WHERE command_id = (SELECT id FROM history_commands WHERE text = 'git status')").run();
    expect(row()).toBeUndefined();
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

describe('history.2', () => {
  /** The trigram counts next to what the index itself holds: the same, for texts without NUL. */
  const counts = (db: Database) => ({
    kept: new Map(db.prepare('SELECT gram, docs FROM history_trigram_docs WHERE docs > 0').raw().all() as [string, number][]),
    indexed: new Map(db.prepare('SELECT term, doc FROM history_trigram_terms').raw().all() as [string, number][]),
  });
  const holding = (db: Database, gram: string) =>
    db
      .prepare('SELECT rowid FROM history_trigrams WHERE history_trigrams MATCH ?')
      .pluck()
      .all(`"${gram.replaceAll('"', '""')}"`);

  it('moves a history.1 database over: every command indexed lowered and padded, with its trigram counts', () => {
    const db = openDatabase(tempDir());
    migrate(db, historyMigrations.slice(0, 1));
    const texts = ['Git Status', 'ls', 'é→X "q"', 'a\nb'];
    for (const [i, text] of texts.entries()) {
      // history.1's own write path.
      db.prepare('INSERT INTO history_commands (id, text, runs, last_at, last_run) VALUES (?, ?, 1, ?, ?)').run(i + 1, text, i, i + 1);
      db.prepare('INSERT INTO history_fts (rowid, text) VALUES (?, ?)').run(i + 1, text);
      db.prepare("INSERT INTO history_runs (id, command_id, started_at, source) VALUES (?, ?, ?, 'test')").run(i + 1, i + 1, i);
    }
    expect(migrate(db, historyMigrations.slice(0, 2))).toEqual(['history.2']);
    for (const [i, text] of texts.entries())
      for (const gram of trigramsOf(indexedText(text))) expect(holding(db, gram), `${text}: ${gram}`).toContain(i + 1);
    expect(holding(db, 'git')).toEqual([1]);
    expect(holding(db, 'Git')).toEqual([]);
    const { kept, indexed } = counts(db);
    expect(kept).toEqual(indexed);
    expect(kept.get('ls\u0001')).toBe(1);
    expect(search(db, searchQuery.parse({ query: 'GIT st' })).rows.map((r) => r.command)).toEqual(['Git Status']);
    db.close();
  });

  it('keeps the trigram index and its counts in step with inserts and deletes', () => {
    const db = openHistoryDb(tempDir());
    const writer = runWriter(db);
    writer.write([
      run('git status', 1, 'a'),
      run('GIT STASH', 2, 'b'),
      run('ls', 3, 'c'),
      run('x"y\u0001z', 4, 'd'),
      run('git status', 5, 'e'),
    ]);
    // A new command whose run was written before is dropped again, and taken off the counts with it.
    expect(writer.write([run('brand new', 9, 'a')])).toBe(0);
    let { kept, indexed } = counts(db);
    expect(kept).toEqual(indexed);
    expect([kept.get('git'), kept.get('sta'), kept.get('ls\u0001'), kept.get('bra')]).toEqual([2, 2, 1, undefined]);
    db.prepare("DELETE FROM history_runs WHERE command_id = (SELECT id FROM history_commands WHERE text = 'GIT STASH')").run();
    ({ kept, indexed } = counts(db));
    expect(kept).toEqual(indexed);
    expect([kept.get('git'), kept.get('ash')]).toEqual([1, undefined]);
    expect(holding(db, 'ash')).toEqual([]);
    db.close();
  });
});

describe('history.3', () => {
  const columns = (db: Database, index: string) => db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck().all(index);

  it('moves a history.2 database over; host and shell filters then read their own indexes, with the same answers', () => {
    const db = openDatabase(tempDir());
    migrate(db, historyMigrations.slice(0, 2));
    writeAsHistory2(db, [
      run('git status', 1, 'a'),
      { ...run('git push', 2, 'b'), host: 'other', shell: 'zsh' },
      run('ls', 3, 'c'),
      { ...run('git status', 4, 'd'), host: 'other' },
    ]);
    const queries = [
      { query: 'git', host: 'other' },
      { query: 'git', shell: 'zsh' },
      { query: '', host: 'nowhere' },
      { query: 'git', host: 'other', group: 'run' as const },
    ];
    const answers = () => queries.map((q) => search(db, searchQuery.parse(q)).rows.map((r) => [r.command, r.count, r.host, r.shell]));
    const before = answers();
    expect(migrate(db, historyMigrations.slice(0, 3))).toEqual(['history.3']);
    expect(answers()).toEqual(before);
    expect(before).toEqual([
      [
        ['git status', 1, 'other', 'bash'],
        ['git push', 1, 'other', 'zsh'],
      ],
      [['git push', 1, 'other', 'zsh']],
      [],
      [
        ['git status', 1, 'other', 'bash'],
        ['git push', 1, 'other', 'zsh'],
      ],
    ]);
    expect(columns(db, 'history_runs_command')).toEqual(['command_id', 'started_at', 'exit', 'cwd', 'host', 'shell']);
    expect(columns(db, 'history_runs_host')).toEqual(['host', 'started_at']);
    expect(columns(db, 'history_runs_shell')).toEqual(['shell', 'started_at']);
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[]).map((p) => p.detail).join('; ');
    expect(plan('SELECT id FROM history_runs WHERE host = ? ORDER BY started_at DESC')).toContain('history_runs_host');
    expect(plan('SELECT count(*) FROM history_runs WHERE command_id = 1 AND shell = ?')).toContain('COVERING INDEX history_runs_command');
    db.close();
  });
});
