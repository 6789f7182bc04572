// The history store: opens the shared database with history's schema and writes runs into it.
import { type Database, openToolDatabase } from '../system/database.ts';
import { indexedText, trigramsOf } from './search/trigrams.ts';
import { runUid } from './sync/uid.ts';

/** One run of one command, as capture and importers hand it to the store. */
export interface RunRecord {
  command: string;
  /** Start, ms since the epoch. */
  startedAt: number;
  durationMs: number | null;
  exit: number | null;
  cwd: string | null;
  session: string | null;
  host: string | null;
  user: string | null;
  shell: string | null;
  /** Where it came from: hook, bash, zsh, fish, atuin. */
  source: string;
  /** A key that makes writing the same run twice a no-op (spool re-reads, repeated imports); null for none. */
  dedupe: string | null;
  /** Its global id for sync (16 bytes); left out, it is derived from `dedupe` (see runUid) or random. */
  uid?: Uint8Array;
  /** The sync host (history_sync_hosts.id) whose segment brought it; left out for this machine's own runs. */
  origin?: number;
}

/** SQLite's page cache per connection, in KiB. The host's (searches, explicit ingests) lives as long as the app and
 * fills as the database grows, so it is kept small; so is the spool worker's, which also lives as long as anyone
 * watches history (the soak bench's 100 commands/s filled it at ~0.1 MB of RSS a second) and whose passes touch
 * only the indexes' newest pages and the commands they look up. An import's connection lives on its worker only for
 * the import, where the default 2 MB thrashes once the command index outgrows it (5× slower imports at 100k commands). */
export const pageCacheKib = { host: 16 * 1024, spool: 4 * 1024, import: 64 * 1024 } as const;

/** The history tables, migrated; `onUpgrade` is told before an existing database is brought up to date. */
export function openHistoryDb(dataDir: string, onUpgrade?: () => void, cacheKib: number = pageCacheKib.host): Database {
  const db = openToolDatabase(dataDir, 'history', onUpgrade);
  db.pragma(`cache_size = -${cacheKib}`);
  return db;
}

export interface RunWriter {
  /** Write records in one transaction; returns how many were new. `dedupe` may use `{cmd}` for the command's id. */
  write(records: Iterable<RunRecord>): number;
  /** Open a transaction that `add` writes into, for a caller that spreads it over turns of the event loop. */
  begin(): void;
  /** Write records inside the transaction `begin` opened; returns how many were new. */
  add(records: Iterable<RunRecord>): number;
  /** Commit that transaction, with the trigram counts of what `add` wrote. */
  commit(): void;
  /** Roll it back, with those counts. */
  rollback(): void;
}

/**
 * A writer with its statements prepared once. Importers put `{cmd}` in their dedupe keys: the command's id is
 * far shorter than its text, which keeps the unique index small.
 */
export function runWriter(db: Database): RunWriter {
  const findCommand = db.prepare('SELECT id FROM history_commands WHERE text = ?').pluck();
  const addCommand = db.prepare('INSERT INTO history_commands (text) VALUES (?)');
  const index = db.prepare('INSERT INTO history_trigrams (rowid, text) VALUES (?, ?)');
  const addDocs = db.prepare(`INSERT INTO history_trigram_docs (gram, docs) SELECT key, value FROM json_each(?) WHERE true
    ON CONFLICT (gram) DO UPDATE SET docs = docs + excluded.docs`);
  const addRun = db.prepare(`INSERT OR IGNORE INTO history_runs
    (command_id, started_at, duration_ms, exit, cwd, session, host, user, shell, source, dedupe, uid, origin)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const count = db.prepare(`UPDATE history_commands SET runs = runs + @n,
    last_run = CASE WHEN @at >= last_at THEN @run ELSE last_run END, last_at = max(last_at, @at) WHERE id = @id`);
  const dropIfUnused = db.prepare('DELETE FROM history_commands WHERE id = ? AND runs = 0');
  // Trigram counts are added once per commit: the commands written before it share most of their trigrams.
  const docs = new Map<string, number>();
  // The delete trigger takes a dropped command's trigrams off the counts, so they must be on them first.
  const flushDocs = () => {
    if (docs.size > 0) addDocs.run(JSON.stringify(Object.fromEntries(docs)));
    docs.clear();
  };
  // A command's counters move once per batch, not once per run: each move rewrites its row and its entry in the
  // recency index (which holds the text), so a 10,000-run batch of a few thousand commands does far less work.
  const counts = new Map<number, { runs: number; at: number; run: number | bigint }>();
  const flushCounts = () => {
    for (const [id, c] of counts) count.run({ id, n: c.runs, at: c.at, run: c.run });
    counts.clear();
  };
  const add = (records: Iterable<RunRecord>) => {
    counts.clear(); // what a batch that threw left behind was rolled back with it
    let added = 0;
    for (const r of records) {
      let id = findCommand.get(r.command) as number | undefined;
      const created = id === undefined;
      if (id === undefined) {
        id = Number(addCommand.run(r.command).lastInsertRowid);
        const text = indexedText(r.command);
        index.run(id, text);
        for (const gram of trigramsOf(text)) docs.set(gram, (docs.get(gram) ?? 0) + 1);
      }
      const dedupe = r.dedupe === null ? null : r.dedupe.replace('{cmd}', String(id));
      const at = Math.round(r.startedAt);
      const run = addRun.run(
        id,
        at,
        r.durationMs === null ? null : Math.round(r.durationMs),
        r.exit,
        r.cwd,
        r.session,
        r.host,
        r.user,
        r.shell,
        r.source,
        dedupe,
        r.uid ?? runUid(r.dedupe, r.command),
        r.origin ?? null,
      );
      if (run.changes > 0) {
        added++;
        const c = counts.get(id);
        // The latest run of the batch, the later one on a tie (as one update per run in order would leave it).
        if (!c) counts.set(id, { runs: 1, at, run: run.lastInsertRowid });
        else {
          c.runs++;
          if (at >= c.at) {
            c.at = at;
            c.run = run.lastInsertRowid;
          }
        }
      } else if (created) {
        flushDocs();
        dropIfUnused.run(id);
      }
    }
    flushCounts();
    return added;
  };
  const write = db.transaction((records: Iterable<RunRecord>) => {
    const added = add(records);
    flushDocs();
    return added;
  });
  return {
    write(records) {
      try {
        return write.immediate(records);
      } catch (error) {
        // Rolled back: the trigram counts of its new commands go too, or a writer kept across passes (the spool
        // worker's) would add them with its next commit.
        docs.clear();
        throw error;
      }
    },
    begin: () => db.exec('BEGIN IMMEDIATE'),
    add(records) {
      if (!db.inTransaction) throw new Error('RunWriter.add needs an open transaction (use write)');
      return add(records);
    },
    commit() {
      flushDocs();
      db.exec('COMMIT');
    },
    rollback() {
      docs.clear();
      db.exec('ROLLBACK');
    },
  };
}
