// Search over the store. Texts are matched on distinct commands; run filters (cwd, host, exit…) on runs.
// Common queries fill their page among the newest commands; rarer ones go through the trigram index.
import type { HistoryRow, SearchQuery, SearchResult } from '../contract/history.ts';
import type { Database } from '../system/database.ts';
import { asciiLower, fuzzyScore } from './text-match.ts';

/** Grouped searches first look at this many of the newest commands: a common query fills its page there. */
const defaultWindow = 2000;
/** Fuzzy matches are ranked among at most this many of the most recent ones. */
const fuzzyPool = 1000;

type Bind = Record<string, string | number>;
export type Filters = Omit<SearchQuery, 'group' | 'limit'>;

const runColumns = `r.id AS runId, r.started_at AS startedAt, r.duration_ms AS durationMs, r.exit AS exit, r.cwd AS cwd,
  r.session AS session, r.host AS host, r.user AS user, r.shell AS shell`;

export function hasRunFilters(q: Filters): boolean {
  return q.cwd !== undefined || q.host !== undefined || q.session !== undefined || q.shell !== undefined || q.exit !== undefined || q.since !== undefined || q.until !== undefined;
}

/** SQL conditions on `r` (history_runs) for the filters, with their bindings. */
export function runConditions(q: Filters, bind: Bind): string[] {
  const where: string[] = [];
  if (q.cwd !== undefined) {
    bind.cwd = q.cwd;
    if (q.below) {
      bind.cwdPrefix = q.cwd.endsWith('/') ? q.cwd : `${q.cwd}/`;
      where.push('(r.cwd = @cwd OR instr(r.cwd, @cwdPrefix) = 1)');
    } else where.push('r.cwd = @cwd');
  }
  for (const key of ['host', 'session', 'shell'] as const) {
    const value = q[key];
    if (value === undefined) continue;
    bind[key] = value;
    where.push(`r.${key} = @${key}`);
  }
  if (q.exit === 'ok') where.push('r.exit = 0');
  else if (q.exit === 'failed') where.push('r.exit <> 0');
  else if (typeof q.exit === 'number') {
    bind.exit = q.exit;
    where.push('r.exit = @exit');
  }
  if (q.since !== undefined) {
    bind.since = q.since;
    where.push('r.started_at >= @since');
  }
  if (q.until !== undefined) {
    bind.until = q.until;
    where.push('r.started_at < @until');
  }
  return where;
}

/** The exact text condition on `c` (history_commands); empty for an empty query. */
function textCondition(q: Filters, bind: Bind): string[] {
  if (q.query === '') return [];
  const lowered = asciiLower(q.query);
  if (q.mode === 'fuzzy') {
    bind.glob = `*${[...lowered].map((ch) => ('*?['.includes(ch) ? `[${ch}]` : ch)).join('*')}*`;
    return ['lower(c.text) GLOB @glob'];
  }
  bind.text = lowered;
  return [q.mode === 'prefix' ? 'instr(lower(c.text), @text) = 1' : 'instr(lower(c.text), @text) > 0'];
}

/** Whether the trigram index can narrow this query (substring or prefix of 3+ characters). */
function indexable(q: Filters): boolean {
  return q.mode !== 'fuzzy' && [...q.query].length >= 3;
}

/** How many of the query's trigrams are probed, and how many of the rarest the index then intersects. */
const probedTrigrams = 8;
const intersectedTrigrams = 2;
/** A probe counts a trigram's commands up to here: enough to tell rare from common, cheap for both. */
const probeCap = 1000;

/** Up to `probedTrigrams` of the query's trigrams, spread from its start to its end. */
function trigrams(query: string): string[] {
  const chars = [...query];
  const all = [...new Set(Array.from({ length: chars.length - 2 }, (_, i) => chars.slice(i, i + 3).join('')))];
  if (all.length <= probedTrigrams) return all;
  return Array.from({ length: probedTrigrams }, (_, k) => all[Math.round((k * (all.length - 1)) / (probedTrigrams - 1))]!);
}

const ftsTerm = (trigram: string) => `"${trigram.replaceAll('"', '""')}"`;

/**
 * Commands holding the query's rarest trigrams: a superset of the matches (the text condition is exact).
 * Intersecting two rare doclists costs far less than every trigram's, and common trigrams cost the most.
 */
function narrowByIndex(db: Database, q: Filters, bind: Bind): string[] {
  if (!indexable(q)) return [];
  const probe = db.prepare('SELECT count(*) FROM (SELECT rowid FROM history_fts WHERE history_fts MATCH ? LIMIT ?)').pluck();
  const rarest = trigrams(q.query)
    .map((gram) => ({ gram, hits: probe.get(ftsTerm(gram), probeCap) as number }))
    .sort((a, b) => a.hits - b.hits)
    .slice(0, intersectedTrigrams);
  bind.fts = rarest.map((t) => ftsTerm(t.gram)).join(' AND ');
  return ['c.id IN (SELECT rowid FROM history_fts WHERE history_fts MATCH @fts)'];
}

const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');

/** `window` is tunable so tests can drive both plans on small data. */
export function search(db: Database, q: SearchQuery, window = defaultWindow): SearchResult {
  const started = performance.now();
  const fetch = q.mode === 'fuzzy' && q.query !== '' ? Math.max(fuzzyPool, q.limit) : q.limit + 1;
  let rows = q.group === 'run' ? everyRun(db, q, fetch) : grouped(db, q, fetch, window);
  let more: boolean;
  if (q.mode === 'fuzzy' && q.query !== '') {
    more = rows.length > q.limit;
    rows = rankFuzzy(q.query, rows).slice(0, q.limit);
  } else {
    more = rows.length > q.limit;
    rows = rows.slice(0, q.limit);
  }
  return { rows, more, tookMs: performance.now() - started };
}

function grouped(db: Database, q: Filters, fetch: number, window: number): HistoryRow[] {
  const bind: Bind = { fetch };
  const text = textCondition(q, bind);
  if (!hasRunFilters(q)) {
    // Counters on the command row answer this without touching runs.
    const select = (from: string, conditions: string[]) =>
      db.prepare(`SELECT c.id AS commandId, c.text AS command, c.runs AS count, ${runColumns}
        FROM ${from} c JOIN history_runs r ON r.id = c.last_run
        ${where(conditions)} ORDER BY c.last_at DESC, c.id DESC LIMIT @fetch`).all(bind) as HistoryRow[];
    if (indexable(q)) {
      // A common query fills its page among the newest commands; a rare one is left to the index.
      bind.window = window;
      const recent = select('(SELECT * FROM history_commands ORDER BY last_at DESC, id DESC LIMIT @window)', text);
      if (recent.length >= fetch) return recent;
      const all = db.prepare('SELECT count(*) FROM (SELECT 1 FROM history_commands LIMIT ?)').pluck().get(window + 1) as number;
      if (all <= window) return recent;
      delete bind.window;
      return select('history_commands', [...text, ...narrowByIndex(db, q, bind)]);
    }
    return select('history_commands', text);
  }
  const runs = runConditions(q, bind);
  // SQLite fills bare columns from the row that holds max(): the last matching run.
  return db.prepare(`SELECT c.id AS commandId, c.text AS command, count(*) AS count, max(r.started_at) AS last, ${runColumns}
    FROM history_runs r JOIN history_commands c ON c.id = r.command_id
    ${where([...text, ...narrowByIndex(db, q, bind), ...runs])} GROUP BY r.command_id ORDER BY last DESC, c.id DESC LIMIT @fetch`)
    .all(bind)
    .map((row) => {
      const { last: _last, ...rest } = row as HistoryRow & { last: number };
      return rest;
    });
}

function everyRun(db: Database, q: Filters, fetch: number): HistoryRow[] {
  const bind: Bind = { fetch };
  const conditions = [...textCondition(q, bind), ...narrowByIndex(db, q, bind), ...runConditions(q, bind)];
  return db.prepare(`SELECT c.id AS commandId, c.text AS command, 1 AS count, ${runColumns}
    FROM history_runs r JOIN history_commands c ON c.id = r.command_id
    ${where(conditions)} ORDER BY r.started_at DESC, r.id DESC LIMIT @fetch`).all(bind) as HistoryRow[];
}

/** Best fuzzy score first; equal scores keep their recency order (sort is stable). */
function rankFuzzy(query: string, rows: HistoryRow[]): HistoryRow[] {
  const q = asciiLower(query);
  return rows
    .map((row) => ({ row, score: fuzzyScore(q, asciiLower(row.command)) ?? -Infinity }))
    .sort((a, b) => b.score - a.score)
    .map((s) => s.row);
}

/** Conditions on `r` joined to `c` that select every run matching the query and filters (for purge). */
export function matchingRuns(db: Database, q: Filters, bind: Bind): string {
  const conditions = [...textCondition(q, bind), ...narrowByIndex(db, q, bind), ...runConditions(q, bind)];
  return `SELECT r.id FROM history_runs r JOIN history_commands c ON c.id = r.command_id ${where(conditions)}`;
}
