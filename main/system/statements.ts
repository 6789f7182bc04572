// Statements prepared once per connection: preparing costs more than running a small indexed query.
import type { Statement } from 'better-sqlite3';
import type { Database } from './database.ts';

const caches = new WeakMap<Database, Map<string, Statement>>();

/** The statement for `sql` on `db`. Callers keep one way of reading it (pluck, raw) per SQL text. */
export function cachedStatement(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
