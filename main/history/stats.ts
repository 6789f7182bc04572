// The numbers behind `history stats` and the view's charts.
import { statSync } from 'node:fs';
import type { HistoryStats } from './contract.ts';
import type { Database } from '../system/database.ts';

function fileSize(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

export function historyStats(db: Database, days: number, top: number, now = Date.now()): HistoryStats {
  const since = now - days * 86_400_000;
  const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;
  const all = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[];
  const totals = one<{ runs: number; firstAt: number | null; lastAt: number | null }>(
    'SELECT count(*) AS runs, min(started_at) AS firstAt, max(started_at) AS lastAt FROM history_runs',
  );
  const exits = one<{ withExit: number; failed: number }>(
    'SELECT count(exit) AS withExit, coalesce(sum(exit <> 0), 0) AS failed FROM history_runs WHERE started_at >= ?',
    since,
  );
  const file = db.name;
  const inRange = 'WITH n AS (SELECT command_id AS id, count(*) AS runs FROM history_runs WHERE started_at >= ? GROUP BY command_id)';
  return {
    runs: totals.runs,
    commands: one<{ n: number }>('SELECT count(*) AS n FROM history_commands').n,
    sessions: one<{ n: number }>('SELECT count(DISTINCT session) AS n FROM history_runs').n,
    firstAt: totals.firstAt,
    lastAt: totals.lastAt,
    perDay: all<{ day: string; runs: number }>(
      "SELECT date(started_at / 1000, 'unixepoch', 'localtime') AS day, count(*) AS runs FROM history_runs WHERE started_at >= ? GROUP BY day ORDER BY day",
      since,
    ),
    topCommands: all<{ command: string; runs: number }>(
      `${inRange} SELECT c.text AS command, n.runs FROM n JOIN history_commands c ON c.id = n.id ORDER BY n.runs DESC LIMIT ?`,
      since,
      top,
    ),
    // The program is the command's first word.
    topPrograms: all<{ program: string; runs: number }>(
      `${inRange} SELECT substr(ltrim(c.text), 1, instr(ltrim(c.text) || ' ', ' ') - 1) AS program, sum(n.runs) AS runs
       FROM n JOIN history_commands c ON c.id = n.id GROUP BY program ORDER BY runs DESC LIMIT ?`,
      since,
      top,
    ),
    busiestDirs: all<{ cwd: string; runs: number }>(
      'SELECT cwd, count(*) AS runs FROM history_runs WHERE started_at >= ? AND cwd IS NOT NULL GROUP BY cwd ORDER BY runs DESC LIMIT ?',
      since,
      top,
    ),
    withExit: exits.withExit,
    failed: exits.failed,
    dbBytes: fileSize(file) + fileSize(`${file}-wal`),
  };
}
