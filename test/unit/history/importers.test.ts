import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ImportEvent } from '../../../main/history/contract.ts';
import { importFiles } from '../../../main/history/import.ts';
import { ingestSpool } from '../../../main/history/ingest.ts';
import { parseBash } from '../../../main/history/importers/bash.ts';
import { decodeFish, parseFish } from '../../../main/history/importers/fish.ts';
import type { ImportItem } from '../../../main/history/importers/lines.ts';
import { parseZsh, unmetafy } from '../../../main/history/importers/zsh.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb } from '../../../main/history/store.ts';
import { tempDir } from '../../support/temp-dir.ts';

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
/** A bash history of `entries` timed commands, and a fresh database to import it into. */
function bigHistory(entries: number) {
  const dir = tempDir();
  const file = path.join(dir, 'big_history');
  writeFileSync(file, Array.from({ length: entries }, (_, i) => `#${1_600_000_000 + i}\necho ${i}\n`).join(''));
  const paths = historyPaths(path.join(dir, 'data'));
  return { file, paths, db: openHistoryDb(paths.dataDir) };
}
const runs = (items: Iterable<ImportItem>) => [...items].flatMap((i) => (i.kind === 'run' ? [[i.command, i.startedAt, i.durationMs]] : []));
const problems = (items: Iterable<ImportItem>) => [...items].flatMap((i) => (i.kind === 'problem' ? [i.line] : []));

describe('bash importer', () => {
  it('without timestamps: one entry per line, no time', () => {
    const data = readFileSync(fixture('bash_history_plain'));
    expect(runs(parseBash(data))).toEqual([
      ['ls -la', null, null],
      ['git status', null, null],
      ['echo "a b"', null, null],
      ['git status', null, null],
    ]);
  });

  it('with #epoch lines: multi-line entries, CRLF, repeats in one second, a fake stamp and an empty one reported by line', () => {
    const data = readFileSync(fixture('bash_history_timed'));
    expect(runs(parseBash(data))).toEqual([
      ['old untimed', null, null],
      ['echo one', 1_700_000_000_000, null],
      ['for i in 1 2; do\n  echo $i\ndone', 1_700_000_005_000, null],
      ['echo one', 1_700_000_005_000, null],
      ['echo one', 1_700_000_005_000, null],
      ['export GITHUB_TOKEN=x', 1_700_000_010_000, null],
      ['echo "#1 not a stamp inside a command"', 1_700_000_011_000, null],
    ]);
    expect(problems(parseBash(data))).toEqual([12, 13]);
    const keys = [...parseBash(data)].flatMap((i) => (i.kind === 'run' ? [i.dedupe] : []));
    expect(keys.filter((k) => k.startsWith('bash:1700000005:'))).toEqual([
      'bash:1700000005:{cmd}:0',
      'bash:1700000005:{cmd}:0',
      'bash:1700000005:{cmd}:1',
    ]);
  });
});

describe('zsh importer', () => {
  it('unmetafies before decoding UTF-8 (→ is stored E2 83 A6 83 B2)', () => {
    expect(unmetafy(Buffer.from([0xe2, 0x83, 0xa6, 0x83, 0xb2])).toString('utf8')).toBe('→');
  });

  it('reads extended and plain lines, continuations, \\: escapes; reports a malformed line by number', () => {
    const data = readFileSync(fixture('zsh_history'));
    expect(runs(parseZsh(data))).toEqual([
      ['make test', 1_700_000_000_000, 3000],
      ['echo "multi\nline"', 1_700_000_001_000, null],
      ['plain command', null, null],
      [': starts with colon', null, null],
      ['echo → arrow', 1_700_000_002_000, 1000],
      ['echo ends with backslash\\\\', 1_700_000_003_000, null],
      ['make test', 1_700_000_004_000, 2000],
    ]);
    expect(problems(parseZsh(data))).toEqual([7]);
  });
});

describe('fish importer', () => {
  it('decodes \\\\ and \\n in one pass', () => {
    expect(decodeFish('a\\\\nb')).toBe('a\\nb');
    expect(decodeFish('a\\nb')).toBe('a\nb');
    expect(decodeFish('c:\\\\x \\t')).toBe('c:\\x \\t');
  });

  it('reads items with when/added_when, paths and unknown keys; reports stray lines by number', () => {
    const data = readFileSync(fixture('fish_history'));
    expect(runs(parseFish(data))).toEqual([
      ['echo hello', 1_700_000_000_000, null],
      ["printf 'a\\nb'\nsecond line", 1_700_000_001_000, null],
      ['echo back\\\\slash', 1_700_000_002_000, null],
      ['echo no time', null, null],
      ['echo added', 1_700_000_003_000, null],
    ]);
    expect(problems(parseFish(data))).toEqual([10, 14]);
  });
});

function makeAtuin(file: string): void {
  const db = new BetterSqlite3(file);
  db.exec(`CREATE TABLE history (id TEXT PRIMARY KEY, timestamp INTEGER NOT NULL, duration INTEGER NOT NULL, exit INTEGER NOT NULL,
    command TEXT NOT NULL, cwd TEXT NOT NULL, session TEXT NOT NULL, hostname TEXT NOT NULL, deleted_at INTEGER)`);
  const add = db.prepare('INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  add.run('a1', 1_700_000_000_123_456_789n, 2_500_000_000n, 0, 'cargo build', '/src', 'sess1', 'box:alice', null);
  add.run('a2', 1_700_000_001_000_000_000n, -1n, -1, 'vim x', '/src', 'sess1', 'box:alice', null);
  add.run('a3', 1_700_000_002_000_000_000n, 1_000_000n, 1, 'rm gone', '/src', 'sess1', 'box:alice', 1_700_000_003_000_000_000n);
  db.close();
}

describe('importing into the store', () => {
  it('is idempotent, redacts secrets, keeps atuin context, and reports progress and problems', async () => {
    const dir = tempDir();
    const atuin = path.join(dir, 'atuin.db');
    makeAtuin(atuin);
    const paths = historyPaths(path.join(dir, 'data'));
    const db = openHistoryDb(paths.dataDir);
    const files = { bash: fixture('bash_history_timed'), zsh: fixture('zsh_history'), fish: fixture('fish_history'), atuin };
    const events: ImportEvent[] = [];
    await importFiles(db, paths, files, (e) => events.push(e));
    const done = events.filter((e) => e.type === 'done');
    expect(done.map((e) => [e.source, e.read, e.added, e.skipped])).toEqual([
      ['bash', 7, 7, 0],
      ['zsh', 7, 7, 0],
      ['fish', 5, 5, 0],
      ['atuin', 2, 2, 0],
    ]);
    expect(events.filter((e) => e.type === 'problem').map((e) => `${path.basename(e.path)}:${e.line}`)).toEqual([
      'bash_history_timed:12',
      'bash_history_timed:13',
      'zsh_history:7',
      'fish_history:10',
      'fish_history:14',
    ]);
    expect(events.some((e) => e.type === 'progress' && e.done === e.total)).toBe(true);
    expect(db.prepare("SELECT text FROM history_commands WHERE text LIKE '%GITHUB_TOKEN%'").pluck().all()).toEqual([
      'export GITHUB_TOKEN=‹redacted›',
    ]);
    const atuinRow = db
      .prepare("SELECT r.* FROM history_runs r JOIN history_commands c ON c.id = r.command_id WHERE c.text = 'cargo build'")
      .get();
    expect(atuinRow).toMatchObject({
      started_at: 1_700_000_000_123,
      duration_ms: 2500,
      exit: 0,
      cwd: '/src',
      session: 'sess1',
      host: 'box',
      user: 'alice',
      source: 'atuin',
    });
    expect(db.prepare("SELECT exit, duration_ms FROM history_runs WHERE dedupe = 'atuin:a2'").get()).toEqual({
      exit: null,
      duration_ms: null,
    });

    const before = db.prepare('SELECT count(*) FROM history_runs').pluck().get();
    const again: ImportEvent[] = [];
    await importFiles(db, paths, files, (e) => again.push(e));
    expect(again.filter((e) => e.type === 'done').map((e) => e.type === 'done' && e.added)).toEqual([0, 0, 0, 0]);
    expect(db.prepare('SELECT count(*) FROM history_runs').pluck().get()).toBe(before);
    db.close();
  });

  it('shows progress through a big file', async () => {
    const { file, paths, db } = bigHistory(30_000);
    const events: ImportEvent[] = [];
    await importFiles(db, paths, { bash: file }, (e) => events.push(e));
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(6);
    expect(progress.every((p, i) => i === 0 || (p.type === 'progress' && p.done >= (progress[i - 1] as { done: number }).done))).toBe(true);
    expect(db.prepare('SELECT count(*) FROM history_runs').pluck().get()).toBe(30_000);
    db.close();
  });

  it('lets other work run while it writes, stops at a cancel keeping what it wrote, and a second import adds the rest', async () => {
    const { file, paths, db } = bigHistory(30_000);
    const count = () => db.prepare('SELECT count(*) FROM history_runs').pluck().get() as number;
    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const controller = new AbortController();
    const events: ImportEvent[] = [];
    const first = importFiles(
      db,
      paths,
      { bash: file },
      (e) => {
        events.push(e);
        // The first progress event comes at 5,000 records read.
        if (e.type === 'progress' && e.done > 0) controller.abort();
      },
      controller.signal,
    );
    // While it runs: a second import is refused with a reason, and the spool waits for the transaction to end.
    await new Promise((resolve) => setImmediate(resolve));
    await expect(importFiles(db, paths, { bash: file }, () => undefined)).rejects.toThrow('An import is already running.');
    expect(ingestSpool(db, paths)).toEqual({ added: 0, problems: [], pending: 1, dropped: 0, more: false });
    await first;
    spinning = false;
    expect(turns).toBeGreaterThanOrEqual(5);
    expect(events.some((e) => e.type === 'done')).toBe(false);
    expect(count()).toBe(5000);
    expect(db.inTransaction).toBe(false);

    const again: ImportEvent[] = [];
    await importFiles(db, paths, { bash: file }, (e) => again.push(e));
    expect(again.filter((e) => e.type === 'done').map((e) => e.type === 'done' && [e.read, e.added])).toEqual([[30_000, 25_000]]);
    expect(count()).toBe(30_000);
    db.close();
  });
});
