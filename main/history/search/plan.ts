// How a search is run. When the trigram index yields few candidate commands they are read and sorted; otherwise a
// scan in recency order fills the page and stops, within a row budget after which it hands over to the index.
import type { Database } from '../../system/database.ts';
import { cachedStatement } from '../../system/statements.ts';
import { hasRunFilters, limit, type Filters } from './sql.ts';
import type { TextIndex } from './text-index.ts';

/** Knobs of the planner, set by tests to drive every plan on small data. */
export interface Tuning {
  /** Up to this many index candidates are read at once; more make a scan go first. */
  candidateCap?: number;
  /** Rows a scan reads before it hands over to the index (Infinity: all). */
  scanBudget?: number;
}

/** What every plan needs: the query, how many rows to fetch, the text index, and both tables' highest ids (their sizes, near enough). */
export interface Context {
  db: Database;
  q: Filters;
  fetch: number;
  text: TextIndex | null;
  commands: number;
  runs: number;
  tuning: Tuning;
}

/** Reading one index candidate (a table lookup, the text check, a place in the sort) costs about this many scanned rows. */
const candidateCost = 10;
/** With run filters a scan of runs reads at least the first number of runs and at most the second (a few ms). */
const filteredBudget = [2_000, 16_000] as const;

/**
 * The index's candidates when there are few enough that reading them beats a scan, which fills its page after
 * about fetch × commands ÷ matches rows: both cost the same at √(fetch × commands ÷ candidateCost) candidates.
 * Null when a scan goes first. An AND of trigrams is asked for one more than that; an OR is judged by its counts.
 */
export function fewCandidates({ db, text, fetch, commands, tuning }: Context): number[] | null {
  if (!text) return null;
  const cap = tuning.candidateCap ?? Math.ceil(Math.sqrt((fetch * commands) / candidateCost));
  if (text.upper > cap && !text.probe) return null;
  const match = text.match();
  if (match === null) return [];
  const ids = cachedStatement(db, 'SELECT rowid FROM history_trigrams WHERE history_trigrams MATCH ? LIMIT ?')
    .pluck()
    .all(match, limit(cap + 1)) as number[];
  return ids.length > cap ? null : ids;
}

const runsPerCommand = ({ runs, commands }: Context) => runs / Math.max(commands, 1);

/**
 * Rows a scan reads before it hands over to the index: what the index may cost, so that the two together never
 * cost more than twice the better one (the ski-rental rule). Over runs, the index reads its candidates' runs too;
 * with run filters the budget is bounded, since an index on the filters may find their few runs at once.
 */
export function scanBudget(c: Context, over: 'commands' | 'runs'): number {
  if (c.tuning.scanBudget !== undefined) return c.tuning.scanBudget;
  const perCandidate = candidateCost + (over === 'runs' ? runsPerCommand(c) : 0);
  const budget = c.text ? Math.max(c.fetch, Math.ceil(perCandidate * c.text.upper)) : Infinity;
  return over === 'runs' && hasRunFilters(c.q) ? Math.min(filteredBudget[1], Math.max(filteredBudget[0], budget)) : budget;
}

/** How the text narrows runs: by these candidates, by the whole index, or not at all (the filters' indexes lead). */
export type Narrowing = number[] | 'index' | 'none';

/**
 * Once a scan of runs has run out: the candidates read already; else the whole index when its candidates' runs are
 * no more than the scan was allowed, since then they cost less than the filters' runs may; else none.
 */
export function narrowing(c: Context, ids: number[] | null, budget: number): Narrowing {
  return ids ?? (c.text && c.text.upper * runsPerCommand(c) <= budget ? 'index' : 'none');
}
