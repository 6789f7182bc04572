// An atuin database: table history, times in nanoseconds, exit −1 = unknown, hostname "host:user". The file is
// outside input like any history file: each value is checked for its type and size, and a row that cannot be
// read is reported and skipped.
import BetterSqlite3 from 'better-sqlite3';
import { ServiceError } from '../../contract/errors.ts';
import { importLimits, type ImportItem } from './lines.ts';

/** A folder, session or host longer than this is dropped from its run (the run is kept). */
const fieldChars = 4096;
/** Atuin's ids are UUIDs; a longer one is no atuin id. */
const idChars = 256;

type Value = bigint | number | string | Buffer | null;

interface AtuinRow {
  id: Value;
  timestamp: Value;
  duration: Value;
  exit: Value;
  command: Value;
  cwd: Value;
  session: Value;
  hostname: Value;
}

function open(file: string): BetterSqlite3.Database {
  try {
    return new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new ServiceError('invalid-argument', `${file} cannot be opened as an atuin database: ${(error as Error).message}`);
  }
}

/** SQLite's own errors about the file (not a database, no history table, corrupt) as a sentence about the file. */
function readable<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof BetterSqlite3.SqliteError)
      throw new ServiceError('invalid-argument', `${file} is not a readable atuin database: ${error.message}`);
    throw error;
  }
}

export function countAtuin(file: string): number {
  const db = open(file);
  try {
    return readable(file, () => Number(db.prepare('SELECT count(*) FROM history WHERE deleted_at IS NULL').pluck().get()));
  } finally {
    db.close();
  }
}

/** An integer column: SQLite may hold any type in it. */
const integer = (v: Value): bigint | null =>
  typeof v === 'bigint' ? v : typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : null;
const text = (v: Value, max: number): string | null => (typeof v === 'string' && v.length <= max ? v : null);
/** Nanoseconds to ms, within the range a Date can hold. */
const msOf = (ns: bigint): number | null => {
  const ms = Number(ns / 1_000_000n);
  return Math.abs(ms) <= 8.64e15 ? ms : null;
};

export function* parseAtuin(file: string): Generator<ImportItem> {
  const db = open(file);
  try {
    const rows = readable(file, () =>
      db
        .prepare(
          'SELECT id, timestamp, duration, exit, command, cwd, session, hostname FROM history WHERE deleted_at IS NULL ORDER BY timestamp',
        )
        .safeIntegers(true)
        .iterate(),
    ) as IterableIterator<AtuinRow>;
    let n = 0;
    for (;;) {
      const next = readable(file, () => rows.next());
      if (next.done) break;
      const row = next.value;
      n++;
      const command = typeof row.command === 'string' ? row.command : null;
      if (command === null || command.trim() === '') continue;
      const id = typeof row.id === 'string' || typeof row.id === 'bigint' || typeof row.id === 'number' ? String(row.id) : null;
      const ns = integer(row.timestamp);
      const startedAt = ns === null ? null : msOf(ns);
      const problem = (what: string): ImportItem => ({ kind: 'problem', line: n, message: `row ${n}: ${what}; skipped` });
      if (Buffer.byteLength(command) > importLimits.commandBytes)
        yield problem(`the command is longer than ${importLimits.commandBytes} bytes`);
      else if (id === null || id.length > idChars) yield problem('the id is not an atuin id');
      else if (startedAt === null) yield problem('the timestamp is not a time');
      else {
        const duration = integer(row.duration);
        const exit = integer(row.exit);
        const hostname = text(row.hostname, fieldChars) ?? '';
        const colon = hostname.lastIndexOf(':');
        yield {
          kind: 'run',
          command,
          startedAt,
          durationMs: duration !== null && duration >= 0n ? msOf(duration) : null,
          dedupe: `atuin:${id}`,
          at: n,
          extra: {
            exit: exit === null || exit === -1n || exit < -(2n ** 31n) || exit >= 2n ** 31n ? null : Number(exit),
            cwd: text(row.cwd, fieldChars),
            session: text(row.session, fieldChars),
            host: colon >= 0 ? hostname.slice(0, colon) : hostname || null,
            user: colon >= 0 ? hostname.slice(colon + 1) : null,
          },
        };
      }
    }
  } finally {
    db.close();
  }
}
