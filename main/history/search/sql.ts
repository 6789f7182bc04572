// The SQL pieces search is built from: the exact text condition, the run filters, the candidate commands.
import type { HistoryRow, SearchQuery } from '../contract.ts';
import type { Database } from '../../system/database.ts';
import { cachedStatement } from '../../system/statements.ts';
import { asciiLower } from './text-match.ts';
import type { TextIndex } from './text-index.ts';

export type Bind = Record<string, string | number>;
export type Filters = Omit<SearchQuery, 'group' | 'limit'>;

export const runColumns = `r.id AS runId, r.started_at AS startedAt, r.duration_ms AS durationMs, r.exit AS exit, r.cwd AS cwd,
  r.session AS session, r.host AS host, r.user AS user, r.shell AS shell`;

export const where = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
export const all = (db: Database, sql: string, bind: Bind) => cachedStatement(db, sql).all(bind) as HistoryRow[];
export const highestId = (db: Database, table: 'history_commands' | 'history_runs') =>
  cachedStatement(db, `SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number;
/** A row count as a LIMIT (-1: none). */
export const limit = (n: number) => (Number.isFinite(n) ? n : -1);

export function hasRunFilters(q: Filters): boolean {
  return (
    q.cwd !== undefined ||
    q.host !== undefined ||
    q.session !== undefined ||
    q.shell !== undefined ||
    q.exit !== undefined ||
    q.since !== undefined ||
    q.until !== undefined
  );
}

/**
 * SQL conditions on the runs table (as `alias`) for the filters, with their bindings. `ordered` is the part that an
 * index serves in start order: the time range, with the first equality whose index goes on with the start; `rest`,
 * the others; `folder`, a folder with those below it, which an index serves but not in start order.
 */
export function runConditions(
  q: Filters,
  bind: Bind,
  alias = 'r',
): { all: string[]; ordered: string[]; rest: string[]; folder: string | null } {
  const keyed: string[] = [];
  const other: string[] = [];
  const time: string[] = [];
  let folder: string | null = null;
  // Each has an index that goes on with the start (a session's runs are the fewest, so it leads).
  for (const key of ['session', 'host', 'shell'] as const) {
    const value = q[key];
    if (value === undefined) continue;
    bind[key] = value;
    keyed.push(`${alias}.${key} = @${key}`);
  }
  if (q.cwd !== undefined) {
    bind.cwd = q.cwd;
    if (q.below) {
      // The folder or anything below it: a range on the cwd index ('0' follows '/').
      const prefix = q.cwd.endsWith('/') ? q.cwd : `${q.cwd}/`;
      bind.cwdPrefix = prefix;
      bind.cwdEnd = `${prefix.slice(0, -1)}0`;
      folder = `(${alias}.cwd = @cwd OR (${alias}.cwd >= @cwdPrefix AND ${alias}.cwd < @cwdEnd))`;
      other.push(folder);
    } else keyed.push(`${alias}.cwd = @cwd`);
  }
  if (q.exit === 'ok' || q.exit === 0) other.push(`${alias}.exit = 0`);
  else if (q.exit !== undefined) {
    // Said as `exit <> 0` too, so that the index of failed runs serves every failure.
    keyed.push(`${alias}.exit <> 0`);
    if (typeof q.exit === 'number') {
      bind.exit = q.exit;
      other.push(`${alias}.exit = @exit`);
    }
  }
  if (q.since !== undefined) {
    bind.since = q.since;
    time.push(`${alias}.started_at >= @since`);
  }
  if (q.until !== undefined) {
    bind.until = q.until;
    time.push(`${alias}.started_at < @until`);
  }
  return { all: [...keyed, ...other, ...time], ordered: [...keyed.slice(0, 1), ...time], rest: [...keyed.slice(1), ...other], folder };
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The exact text condition on `c` (history_commands); empty for an empty query. LIKE ignores ASCII case as search
 * does, without lower()'s copy of every text; but it reads a text only up to a NUL, so while any command holds one,
 * substring and prefix use instr() on a lowered copy instead (fuzzy always reads up to a NUL).
 */
export function textCondition(db: Database, q: Filters, bind: Bind): string[] {
  if (q.query === '') return [];
  const lowered = asciiLower(q.query);
  if (q.mode === 'fuzzy') {
    bind.like = `%${[...lowered].map(likeEscape).join('%')}%`;
    return ["c.text LIKE @like ESCAPE '\\'"];
  }
  if (cachedStatement(db, 'SELECT EXISTS (SELECT 1 FROM history_commands WHERE instr(text, char(0)) > 0)').pluck().get()) {
    bind.text = lowered;
    return [q.mode === 'prefix' ? 'instr(lower(c.text), @text) = 1' : 'instr(lower(c.text), @text) > 0'];
  }
  bind.like = q.mode === 'prefix' ? `${likeEscape(lowered)}%` : `%${likeEscape(lowered)}%`;
  return ["c.text LIKE @like ESCAPE '\\'"];
}

/** The candidate commands as a subquery of `id`s: those read already, else the index's (null: nothing can match). */
export function candidateList(text: TextIndex, ids: number[] | null, bind: Bind): string | null {
  if (ids) {
    bind.ids = JSON.stringify(ids);
    return 'SELECT value AS id FROM json_each(@ids)';
  }
  const match = text.match();
  if (match === null) return null;
  bind.match = match;
  return 'SELECT rowid AS id FROM history_trigrams WHERE history_trigrams MATCH @match';
}
