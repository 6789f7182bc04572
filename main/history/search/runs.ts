// Searches that read runs: every run in time order, and grouped by command with run filters (a command's count
// and last run then come from its matching runs, not from its counters).
import type { HistoryRow } from '../contract.ts';
import { cachedStatement } from '../../system/statements.ts';
import { fewCandidates, narrowing, scanBudget, type Context, type Narrowing } from './plan.ts';
import { all, candidateList, limit, runColumns, runConditions, textCondition, where, type Bind, type Filters } from './sql.ts';
import type { TextIndex } from './text-index.ts';

/**
 * Runs `r` matching the text and filters: a FROM clause and its conditions, or null when none can. Narrowed by
 * candidates, their texts are checked once per command; otherwise once per run, through `c`.
 */
export function matchingRunsSql(
  c: { db: Context['db']; q: Filters; text: TextIndex | null },
  narrowed: Narrowing,
  bind: Bind,
): { from: string; conditions: string[] } | null {
  const text = textCondition(c.db, c.q, bind);
  if (!c.text || narrowed === 'none') {
    // CROSS JOIN: the runs lead, through their filters' index; SQLite would rather check every command's text first.
    const filters = runConditions(c.q, bind).all;
    return {
      from: text.length ? 'history_runs r CROSS JOIN history_commands c ON c.id = r.command_id' : 'history_runs r',
      conditions: [...text, ...filters],
    };
  }
  const list = candidateList(c.text, narrowed === 'index' ? null : narrowed, bind);
  if (list === null) return null;
  const commands = `SELECT c.id FROM (${list}) f CROSS JOIN history_commands c ON c.id = f.id ${where(text)}`;
  // `+r` keeps the filters off their own indexes: the candidates' runs, read through the command index (which
  // holds the exit and folder too), are the fewer, and SQLite cannot tell without statistics.
  return { from: 'history_runs r', conditions: [`r.command_id IN (${commands})`, ...runConditions(c.q, bind, '+r').all] };
}

/**
 * The newest `budget` runs in time order, read through the index that serves the filters' ordered part, for the
 * scans below: `w` holds each run's id and start, `r` the run, `c` its command; the conditions are what is left to
 * check. CROSS JOIN keeps that order: SQLite would otherwise start from a filter's index and sort.
 */
function recentRuns(db: Context['db'], q: Filters, bind: Bind): { from: string; conditions: string[] } {
  const { rest } = runConditions(q, bind);
  const inner = runConditions(q, bind, 'o').ordered;
  return {
    from: `(SELECT o.id, o.started_at FROM history_runs o ${where(inner)} ORDER BY o.started_at DESC, o.id DESC LIMIT @budget) w
      CROSS JOIN history_runs r ON r.id = w.id CROSS JOIN history_commands c ON c.id = r.command_id`,
    conditions: [...textCondition(db, q, bind), ...rest],
  };
}

/**
 * Whether a scan should go first: not when a folder filter (the folder and below, whose index gives no time order,
 * so a scan walks every recent run) leaves fewer runs than the budget: that index then finds them at once.
 */
function scanFirst(c: Context, ids: number[] | null, budget: number): boolean {
  if (ids) return false;
  const bind: Bind = { budget: limit(budget) };
  const { folder } = runConditions(c.q, bind);
  return (
    !folder ||
    (cachedStatement(c.db, `SELECT count(*) FROM (SELECT 1 FROM history_runs r WHERE ${folder} LIMIT @budget)`)
      .pluck()
      .get(bind) as number) >= budget
  );
}

export function everyRun(c: Context): HistoryRow[] {
  const { db, q, fetch } = c;
  const columns = `c.id AS commandId, c.text AS command, 1 AS count, ${runColumns}`;
  const ids = fewCandidates(c);
  const budget = scanBudget(c, 'runs');
  if (scanFirst(c, ids, budget)) {
    const bind: Bind = { fetch, budget: limit(budget) };
    const recent = recentRuns(db, q, bind);
    const scanned = all(
      db,
      `SELECT ${columns} FROM ${recent.from} ${where(recent.conditions)} ORDER BY w.started_at DESC, w.id DESC LIMIT @fetch`,
      bind,
    );
    if (scanned.length >= fetch || budget >= c.runs) return scanned;
  }
  const bind: Bind = { fetch };
  const matching = matchingRunsSql(c, narrowing(c, ids, budget), bind);
  if (!matching) return [];
  // Materialized, so that the ORDER BY … LIMIT cannot sway SQLite into walking every run in time order.
  return all(
    db,
    `WITH m AS MATERIALIZED (SELECT r.id, r.started_at FROM ${matching.from} ${where(matching.conditions)})
    SELECT ${columns} FROM (SELECT id, started_at FROM m ORDER BY started_at DESC, id DESC LIMIT @fetch) t
    CROSS JOIN history_runs r ON r.id = t.id CROSS JOIN history_commands c ON c.id = r.command_id ORDER BY t.started_at DESC, t.id DESC`,
    bind,
  );
}

/** Grouped with run filters: a command's count and last run come from its matching runs. */
export function groupedRuns(c: Context): HistoryRow[] {
  const { db, fetch } = c;
  const ids = fewCandidates(c);
  const budget = scanBudget(c, 'runs');
  const found = scanFirst(c, ids, budget) ? commandsOfRecentRuns(c, budget) : null;
  if (found) return found;
  const bind: Bind = { fetch };
  const matching = matchingRunsSql(c, narrowing(c, ids, budget), bind);
  if (!matching) return [];
  // Grouped first, then joined once per command. `+` keeps SQLite from reading runs in command order to save the
  // GROUP BY's sort (every run, when the filters' index finds few); a bare column comes from the row holding max().
  return all(
    db,
    `WITH m AS MATERIALIZED (SELECT r.command_id, count(*) AS count, max(r.started_at) AS last, r.id AS run
      FROM ${matching.from} ${where(matching.conditions)} GROUP BY +r.command_id)
    SELECT c.id AS commandId, c.text AS command, m.count AS count, ${runColumns}
    FROM m CROSS JOIN history_runs r ON r.id = m.run CROSS JOIN history_commands c ON c.id = m.command_id
    ORDER BY m.last DESC, c.id DESC LIMIT @fetch`,
    bind,
  );
}

/**
 * The first `fetch` commands met walking the newest `budget` matching runs back in time, with their counts and last
 * runs; null when the budget ran out first. A command first met at the same start as the last one kept may still
 * rank above it (ties go to the higher command id), so the walk goes on through that start.
 */
function commandsOfRecentRuns({ db, q, fetch, runs: total }: Context, budget: number): HistoryRow[] | null {
  const bind: Bind = { budget: limit(budget) };
  const recent = recentRuns(db, q, bind);
  const runs = cachedStatement(
    db,
    `SELECT r.command_id AS commandId, r.id AS runId, r.started_at AS startedAt
    FROM ${recent.from} ${where(recent.conditions)} ORDER BY w.started_at DESC, w.id DESC`,
  );
  const firsts = new Map<number, { runId: number; startedAt: number }>();
  let boundary: number | null = null;
  let exhausted = true;
  for (const run of runs.iterate(bind) as Iterable<{ commandId: number; runId: number; startedAt: number }>) {
    if (boundary !== null && run.startedAt < boundary) {
      exhausted = false;
      break;
    }
    if (firsts.has(run.commandId)) continue;
    firsts.set(run.commandId, run);
    if (firsts.size === fetch) boundary = run.startedAt;
  }
  // Out of runs before the page was full (or while still within the boundary's start): the budget decides.
  if (exhausted && budget < total) return null;
  const top = [...firsts].sort(([a, x], [b, y]) => y.startedAt - x.startedAt || b - a).slice(0, fetch);
  const detail: Bind = { runs: JSON.stringify(top.map(([, run]) => run.runId)) };
  const counted = runConditions(q, detail, 'n').all;
  return all(
    db,
    `SELECT c.id AS commandId, c.text AS command, ${runColumns},
      (SELECT count(*) FROM history_runs n WHERE n.command_id = c.id ${counted.map((cond) => `AND ${cond}`).join(' ')}) AS count
    FROM json_each(@runs) j CROSS JOIN history_runs r ON r.id = j.value CROSS JOIN history_commands c ON c.id = r.command_id ORDER BY j.key`,
    detail,
  );
}
