// Search over the store. Texts are matched on distinct commands; run filters (cwd, host, exit…) on runs.
// Each search picks its plan, and every plan gives the exact answer: when the trigram index yields few candidate
// commands they are read and sorted; otherwise a scan in recency order fills the page and stops, within a row
// budget after which it hands over to the index.
import type { HistoryRow, SearchQuery, SearchResult } from '../contract.ts';
import type { Database } from '../../system/database.ts';
import { cachedStatement } from '../../system/statements.ts';
import { fewCandidates, scanBudget, type Context, type Tuning } from './plan.ts';
import { everyRun, groupedRuns, matchingRunsSql } from './runs.ts';
import { all, candidateList, hasRunFilters, highestId, runColumns, textCondition, where, type Bind, type Filters } from './sql.ts';
import { asciiLower, fuzzyScore } from './text-match.ts';
import { textIndex, type TextIndex } from './text-index.ts';

export type { Filters } from './sql.ts';
export type { Tuning } from './plan.ts';

/** Fuzzy matches are ranked among at most this many of the most recent ones. */
const fuzzyPool = 1000;

export function search(db: Database, q: SearchQuery, tuning: Tuning = {}): SearchResult {
  const started = performance.now();
  const fuzzy = q.mode === 'fuzzy' && q.query !== '';
  const c: Context = {
    db,
    q,
    fetch: fuzzy ? Math.max(fuzzyPool, q.limit) : q.limit + 1,
    text: textIndex(db, q.mode, asciiLower(q.query)),
    commands: highestId(db, 'history_commands'),
    runs: highestId(db, 'history_runs'),
    tuning,
  };
  const rank = <T extends { command: string }>(rows: T[]) => (fuzzy ? rankFuzzy(q.query, rows) : rows).slice(0, q.limit);
  if (q.group === 'command' && !hasRunFilters(q)) {
    // The counters on the command row answer this without touching runs; only the rows shown are read in full.
    const found = newestMatches(c);
    return { rows: commandRows(db, rank(found)), more: found.length > q.limit, tookMs: performance.now() - started };
  }
  const rows = q.group === 'run' ? everyRun(c) : groupedRuns(c);
  return { rows: rank(rows), more: rows.length > q.limit, tookMs: performance.now() - started };
}

interface Found {
  commandId: number;
  command: string;
}

/** The newest `fetch` commands whose text matches, newest first. */
function newestMatches(c: Context): Found[] {
  const { db, q, fetch, text } = c;
  const select = (from: string, conditions: string[], bind: Bind) =>
    cachedStatement(
      db,
      `SELECT c.id AS commandId, c.text AS command FROM ${from} ${where(conditions)} ORDER BY c.last_at DESC, c.id DESC LIMIT @fetch`,
    ).all(bind) as Found[];
  const indexed = (t: TextIndex, ids: number[] | null) => {
    const bind: Bind = { fetch };
    const list = candidateList(t, ids, bind);
    return list === null ? [] : select(`(${list}) f CROSS JOIN history_commands c ON c.id = f.id`, textCondition(db, q, bind), bind);
  };
  const ids = fewCandidates(c);
  if (text && ids) return indexed(text, ids);
  // The newest `budget` commands, read in order from the recency index (it holds the text) down to the last of
  // them, found first: a bound on the index costs less per row than a LIMIT in a subquery.
  const budget = text ? scanBudget(c, 'commands') : Infinity;
  const bound =
    budget < c.commands
      ? (cachedStatement(db, 'SELECT last_at AS at, id FROM history_commands ORDER BY last_at DESC, id DESC LIMIT 1 OFFSET ?').get(
          budget - 1,
        ) as Bind | undefined)
      : undefined;
  const bind: Bind = { fetch, ...bound };
  const scanned = select(
    'history_commands c',
    [...textCondition(db, q, bind), ...(bound ? ['(c.last_at, c.id) >= (@at, @id)'] : [])],
    bind,
  );
  return scanned.length >= fetch || !text || !bound ? scanned : indexed(text, null);
}

/** The commands' rows, in the order given: run count, and the last run. */
function commandRows(db: Database, found: Found[]): HistoryRow[] {
  return all(
    db,
    `SELECT c.id AS commandId, c.text AS command, c.runs AS count, ${runColumns}
    FROM json_each(@ids) j CROSS JOIN history_commands c ON c.id = j.value CROSS JOIN history_runs r ON r.id = c.last_run ORDER BY j.key`,
    {
      ids: JSON.stringify(found.map((f) => f.commandId)),
    },
  );
}

/** Best fuzzy score first (every row matches already); equal scores keep their recency order (sort is stable). */
function rankFuzzy<T extends { command: string }>(query: string, rows: T[]): T[] {
  const q = asciiLower(query);
  return rows
    .map((row) => ({ row, score: fuzzyScore(q, row.command) }))
    .sort((a, b) => b.score - a.score)
    .map((s) => s.row);
}

/** A query selecting the id of every run matching the query and filters (for purge). */
export function matchingRuns(db: Database, q: Filters, bind: Bind): string {
  const matching = matchingRunsSql({ db, q, text: textIndex(db, q.mode, asciiLower(q.query)) }, 'index', bind);
  return matching ? `SELECT r.id FROM ${matching.from} ${where(matching.conditions)}` : 'SELECT id FROM history_runs WHERE false';
}
