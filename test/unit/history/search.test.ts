import { describe, expect, it } from 'vitest';
import { searchQuery, type HistoryRow, type SearchQueryInput } from '../../../main/history/contract.ts';
import { search, type Filters, type Tuning } from '../../../main/history/search/search.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../../main/history/store.ts';
import { matches } from '../../../main/history/search/text-match.ts';
import type { Database } from '../../../main/system/database.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { randomRuns, seededRandom } from './random-history.ts';

/** Runs written to a fresh store, with each command's id there. */
interface Stored {
  runs: RunRecord[];
  db: Database;
  ids: Map<string, number>;
}

function stored(runs: RunRecord[]): Stored {
  const db = openHistoryDb(tempDir());
  runWriter(db).write(runs);
  const ids = new Map(db.prepare('SELECT text, id FROM history_commands').raw().all() as [string, number][]);
  return { runs, db, ids };
}

const random = stored(randomRuns(4000, 600));
const { runs, db } = random;

function runMatches(q: Filters, r: RunRecord): boolean {
  if (q.cwd !== undefined) {
    const prefix = q.cwd.endsWith('/') ? q.cwd : `${q.cwd}/`;
    if (!(r.cwd === q.cwd || (q.below && r.cwd!.startsWith(prefix)))) return false;
  }
  if (q.host !== undefined && r.host !== q.host) return false;
  if (q.session !== undefined && r.session !== q.session) return false;
  if (q.shell !== undefined && r.shell !== q.shell) return false;
  if (q.exit === 'ok' && r.exit !== 0) return false;
  if (q.exit === 'failed' && (r.exit === null || r.exit === 0)) return false;
  if (typeof q.exit === 'number' && r.exit !== q.exit) return false;
  if (q.since !== undefined && r.startedAt < q.since) return false;
  if (q.until !== undefined && r.startedAt >= q.until) return false;
  return q.query === '' || matches(q.mode, q.query, r.command);
}

/**
 * The brute-force answer: [command, count, last start] per row, in the order the store promises (a later run, or
 * command, first among those at the same start).
 */
function bruteForce(q: ReturnType<typeof searchQuery.parse>, { runs, ids }: Stored = random): [string, number, number][] {
  const hits = runs.filter((r) => runMatches(q, r));
  if (q.group === 'run')
    return hits
      .reverse()
      .sort((a, b) => b.startedAt - a.startedAt)
      .map((r) => [r.command, 1, r.startedAt]);
  const byCommand = new Map<string, [string, number, number]>();
  for (const r of hits) {
    const row = byCommand.get(r.command) ?? [r.command, 0, 0];
    row[1]++;
    row[2] = Math.max(row[2], r.startedAt);
    byCommand.set(r.command, row);
  }
  return [...byCommand.values()].sort((a, b) => b[2] - a[2] || ids.get(b[0])! - ids.get(a[0])!);
}

const shape = (rows: HistoryRow[]) => rows.map((r) => [r.command, r.count, r.startedAt] as [string, number, number]);

/** The store's answer and the brute-force one agree, rows and `more`. */
function agrees(input: SearchQueryInput, tuning: Tuning, on: Stored = random): void {
  const q = searchQuery.parse(input);
  const expected = bruteForce(q, on);
  const result = search(on.db, q, tuning);
  expect(shape(result.rows), JSON.stringify(input)).toEqual(expected.slice(0, q.limit));
  expect(result.more, JSON.stringify(input)).toBe(expected.length > q.limit);
}

const queries = [
  '',
  'g',
  'GI',
  'git',
  'git st',
  'STATUS',
  'foo%bar',
  'a_b',
  'x*y',
  'q?',
  '[ab]',
  '"quoted"',
  "it's",
  'café',
  '→',
  'caf',
  'é',
  'o\ncd',
  'continued',
  'zzz-none',
  ' ',
  'a b',
  '-m',
];

// Every plan on the same data: the index alone; a 5-row scan that nearly always hands over to the index; a scan
// that reads everything; and the planner's own choice.
const plans: [string, Tuning][] = [
  ['index first', { candidateCap: Infinity }],
  ['scan then index', { candidateCap: 0, scanBudget: 5 }],
  ['scan only', { candidateCap: 0, scanBudget: Infinity }],
  ['planned', {}],
];

describe.each(plans)('search agrees with a brute-force scan (%s)', (_name, tuning) => {
  for (const mode of ['substring', 'prefix'] as const) {
    it(`${mode}: every query, grouped and per run, with and without a limit`, () => {
      for (const query of queries) {
        for (const group of ['command', 'run'] as const) {
          for (const limit of [5, 10_000]) agrees({ query, mode, group, limit }, tuning);
        }
      }
    });
  }

  it('fuzzy returns exactly the subsequence matches, best first', () => {
    for (const query of ['gst', 'dps', 'git', 'c→', 'x*', 'q?[', 'zzzz']) {
      const q = searchQuery.parse({ query, mode: 'fuzzy', limit: 10_000 });
      const got = search(db, q, tuning)
        .rows.map((r) => r.command)
        .sort();
      expect(got, query).toEqual(
        bruteForce(q)
          .map((r) => r[0])
          .sort(),
      );
    }
    const top = search(db, searchQuery.parse({ query: 'gitst', mode: 'fuzzy', limit: 3 }), tuning).rows;
    expect(top[0]?.command.toLowerCase()).toContain('git st');
  });

  it('filters combine with text, on random queries', () => {
    const rand = seededRandom(11);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    for (let i = 0; i < 300; i++) {
      const input: SearchQueryInput = {
        query: pick(queries),
        mode: pick(['substring', 'prefix', 'substring'] as const),
        group: pick(['command', 'run'] as const),
        limit: pick([3, 50, 10_000]),
      };
      if (rand() < 0.4) input.cwd = pick(['/home/u/src', '/home/u/src/', '/', '/tmp', '/home/u/src/app']);
      if (rand() < 0.3) input.below = false;
      if (rand() < 0.3) input.host = pick(['alpha', 'beta']);
      if (rand() < 0.3) input.session = pick(['s1', 's2', 'none']);
      if (rand() < 0.3) input.shell = pick(['bash', 'zsh', 'fish']);
      if (rand() < 0.4) input.exit = pick(['ok', 'failed', 127, 2, 0] as const);
      if (rand() < 0.3) input.since = 1_600_000_000_000 + Math.floor(rand() * 1e9);
      if (rand() < 0.3) input.until = 1_600_000_000_000 + Math.floor(rand() * 1e9);
      agrees(input, tuning);
    }
  });

  it('a grouped row shows the last matching run', () => {
    const q = searchQuery.parse({ query: 'git', exit: 'failed', limit: 10_000 });
    for (const row of search(db, q, tuning).rows) {
      const last = runs.filter((r) => runMatches(q, r) && r.command === row.command).sort((a, b) => b.startedAt - a.startedAt)[0]!;
      expect([row.exit, row.cwd, row.session]).toEqual([last.exit, last.cwd, last.session]);
    }
  });
});

describe.each(plans)('search on awkward data (%s)', (_name, tuning) => {
  const run = (command: string, startedAt: number, i: number): RunRecord => ({
    command,
    startedAt,
    durationMs: 1,
    exit: i % 3,
    cwd: '/',
    session: 's',
    host: 'h',
    user: 'u',
    shell: 'bash',
    source: 'test',
    dedupe: `k${i}`,
  });

  it('commands run at the same instant rank by command id, and runs by run id', () => {
    const tied = stored(Array.from({ length: 120 }, (_, i) => run(`cmd ${(i * 7) % 30}`, 1000 + (i % 4), i)));
    for (const query of ['', 'cmd', 'cmd 1', 'd 2']) {
      for (const limit of [3, 7, 50]) {
        for (const group of ['command', 'run'] as const) {
          agrees({ query, limit, group }, tuning, tied);
          agrees({ query, limit, group, exit: 'failed' }, tuning, tied);
        }
      }
    }
  });

  it('a command holding NUL is matched across it', () => {
    const nul = stored(['echo a\0b', 'printf \0', 'ls', 'echo ab'].map((command, i) => run(command, 1000 + i, i)));
    for (const query of ['a\0b', '\0', 'ab', 'b', 'echo', 'ECHO A']) {
      for (const mode of ['substring', 'prefix'] as const) agrees({ query, mode }, tuning, nul);
    }
  });
});
