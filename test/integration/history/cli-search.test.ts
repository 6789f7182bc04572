// `lanyard history search` as a script or a shell calls it: the built CLI, a real database, records waiting in
// the spool (ingested before the search), every filter flag, and the usage errors.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryRow } from '../../../main/history/contract.ts';
import { writeAsHistory2 } from '../../support/history-v2.ts';
import { migrate, openDatabase, toolMigrations } from '../../../main/system/database.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const historyMigrations = toolMigrations('history');

const now = Math.floor(Date.now() / 1000);
/** A spool record as the hooks write it: start and end as the shell's clock. */
const record = (session: string, secondsAgo: number, exit: number, cwd: string, command: string) =>
  [
    'L3',
    session,
    'bash',
    'box',
    'me',
    `${now - secondsAgo}.000001`,
    `${now - secondsAgo}.500001`,
    String(exit),
    cwd,
    command.replaceAll('\\', '\\\\'),
    '\\',
  ]
    .map((f) => `${f}\0`)
    .join('');

describe('lanyard history search', () => {
  const data = tempDir();
  const work = path.join(data, 'work');
  mkdirSync(path.join(work, 'sub'), { recursive: true });
  mkdirSync(path.join(data, 'spool'), { recursive: true, mode: 0o700 });
  writeFileSync(
    path.join(data, 'spool', 's1.spool'),
    [
      record('s1', 400 * 86_400, 0, '/srv', 'git status'),
      record('s1', 3 * 86_400, 1, work, 'git push --force'),
      record('s1', 2 * 86_400, 0, path.join(work, 'sub'), 'git status'),
      record('s1', 3600, 2, '/tmp', 'ls missing'),
      record('s1', 60, 0, work, 'GIT_PAGER=cat git log'),
    ].join(''),
  );

  const cli = (...args: string[]) =>
    spawnSync(nodeBin, [cliBundle, 'history', 'search', ...args], {
      cwd: work,
      env: { ...process.env, LANYARD_HOME: data },
      encoding: 'utf8',
    });
  const json = (...args: string[]) => {
    const out = cli(...args, '--json');
    expect(out.stderr).toBe('');
    return (JSON.parse(out.stdout) as HistoryRow[]).map((r) => [r.command, r.count, r.exit]);
  };

  it('ingests the spool first, then groups by command, newest first', () => {
    expect(json('git')).toEqual([
      ['GIT_PAGER=cat git log', 1, 0],
      ['git status', 2, 0],
      ['git push --force', 1, 1],
    ]);
  });

  it('filters by exit status, folder, time and text mode, and lists every run with --runs', () => {
    expect(json('git', '--failed')).toEqual([['git push --force', 1, 1]]);
    expect(json('--exit', '2')).toEqual([['ls missing', 1, 2]]);
    expect(json('--ok', '--here')).toEqual([
      ['GIT_PAGER=cat git log', 1, 0],
      ['git status', 1, 0],
    ]);
    expect(json('--here', '--exact-dir')).toEqual([
      ['GIT_PAGER=cat git log', 1, 0],
      ['git push --force', 1, 1],
    ]);
    expect(json('status', '--since', '1w')).toEqual([['git status', 1, 0]]);
    expect(json('status', '--until', '1w')).toEqual([['git status', 1, 0]]);
    expect(json('git p', '--prefix')).toEqual([['git push --force', 1, 1]]);
    expect(json('pager', '--prefix')).toEqual([]);
    expect(json('gps', '--fuzzy')).toEqual([['git push --force', 1, 1]]);
    expect(json('status', '--runs')).toEqual([
      ['git status', 1, 0],
      ['git status', 1, 0],
    ]);
    expect(json('git', '--limit', '1')).toEqual([['GIT_PAGER=cat git log', 1, 0]]);
  });

  it('prints rows oldest first for a person, with a count on stderr; exits 1 when nothing matches', () => {
    const out = cli('git');
    expect(out.status).toBe(0);
    expect(out.stdout.trim().split('\n').at(-1)).toContain('GIT_PAGER=cat git log');
    expect(out.stderr).toMatch(/^3 commands in [\d.]+ ms/);
    expect(cli('nothing-like-this').status).toBe(1);
  });

  it('says so while it brings a database of an earlier version up to date', () => {
    const old = tempDir();
    const db = openDatabase(old);
    migrate(db, historyMigrations.slice(0, 2));
    writeAsHistory2(db, [
      {
        command: 'make old',
        startedAt: 1_700_000_000_000,
        durationMs: null,
        exit: 0,
        cwd: null,
        session: null,
        host: 'box',
        user: 'me',
        shell: 'bash',
        source: 'test',
        dedupe: null,
      },
    ]);
    db.close();
    const first = spawnSync(nodeBin, [cliBundle, 'history', 'search', 'old'], {
      env: { ...process.env, LANYARD_HOME: old },
      encoding: 'utf8',
    });
    expect(first.stderr).toContain('Updating the history database for this version of Lanyard (once)');
    expect(first.stdout).toContain('make old');
    const second = spawnSync(nodeBin, [cliBundle, 'history', 'search', 'old'], {
      env: { ...process.env, LANYARD_HOME: old },
      encoding: 'utf8',
    });
    expect(second.stderr).not.toContain('Updating');
  });

  it('refuses bad flags with a usage error', () => {
    for (const [args, message] of [
      [['--limit', '0'], '--limit takes a whole number from 1 to 10000'],
      [['--prefix', '--fuzzy'], 'choose one of --prefix and --fuzzy'],
      [['--ok', '--failed'], 'choose one of --ok, --failed and --exit N'],
      [['--exit', 'x'], '--exit takes a number'],
      [['--since', 'soon'], '--since takes a date'],
    ] as const) {
      const out = cli(...args);
      expect(out.status, args.join(' ')).toBe(2);
      expect(out.stderr).toContain(message);
    }
  });
});
