// An atuin database: table history, times in nanoseconds, exit −1 = unknown, hostname "host:user".
import BetterSqlite3 from 'better-sqlite3';
import type { ImportItem } from './lines.ts';

interface AtuinRow {
  id: string;
  timestamp: number | bigint;
  duration: number | bigint;
  exit: number;
  command: string;
  cwd: string | null;
  session: string | null;
  hostname: string | null;
}

export function countAtuin(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) FROM history WHERE deleted_at IS NULL').pluck().get() as number;
  } finally {
    db.close();
  }
}

export function* parseAtuin(file: string): Generator<ImportItem> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, timestamp, duration, exit, command, cwd, session, hostname FROM history WHERE deleted_at IS NULL ORDER BY timestamp').safeIntegers(true).iterate() as IterableIterator<AtuinRow>;
    let n = 0;
    for (const row of rows) {
      n++;
      if (typeof row.command !== 'string' || row.command.trim() === '') continue;
      const ns = BigInt(row.timestamp);
      const duration = BigInt(row.duration);
      const exit = Number(row.exit);
      const hostname = row.hostname ?? '';
      const colon = hostname.lastIndexOf(':');
      yield {
        kind: 'run',
        command: row.command,
        startedAt: Number(ns / 1_000_000n),
        durationMs: duration >= 0n ? Number(duration / 1_000_000n) : null,
        dedupe: `atuin:${row.id}`,
        at: n,
        extra: {
          exit: exit === -1 ? null : exit,
          cwd: row.cwd,
          session: row.session,
          host: colon >= 0 ? hostname.slice(0, colon) : hostname || null,
          user: colon >= 0 ? hostname.slice(colon + 1) : null,
        },
      };
    }
  } finally {
    db.close();
  }
}
