// The history service: one database connection per host, spool ingestion before every search and whenever
// the spool changes, and the operations the contract lists.
import { watch, type FSWatcher } from 'node:fs';
import { ServiceError } from '../contract/errors.ts';
import type { HistoryRow, HookStatus, ImportEvent, RedactEvent, RunDetail, SearchQuery } from './contract.ts';
import type { Database } from '../system/database.ts';
import { ensurePrivateDir } from '../system/data-dir.ts';
import { which } from '../system/which.ts';
import type { ImportFiles } from './import.ts';
import { ingestSpool, notNow, type IngestResult } from './ingest.ts';
import { historyPaths, type HistoryPaths } from './paths.ts';
import { hookInstalled, rcFile, shellNames } from './rc-files.ts';
import { redactHistory } from './redact.ts';
import { matchingRuns, search, type Filters } from './search/search.ts';
import type { SecretAction, SecretFilter } from './secrets.ts';
import { spoolLimits } from './spool.ts';
import { startSpoolWorker, type SpoolWorker } from './spool-worker.ts';
import { openHistoryDb } from './store.ts';
import type { SyncProgress } from './sync/engine.ts';
import { progressWriter } from './sync/progress-file.ts';
import type { SyncJob, SyncJobResult } from './sync/job.ts';
import { runOnWorker, type WorkerJob } from './worker-thread.ts';

const rowColumns = `c.id AS commandId, r.id AS runId, c.text AS command, 1 AS count, r.started_at AS startedAt, r.duration_ms AS durationMs,
  r.exit AS exit, r.cwd AS cwd, r.session AS session, r.host AS host, r.user AS user, r.shell AS shell`;

export interface HistoryService {
  paths: HistoryPaths;
  db(): Database;
  ingest(): IngestResult;
  search(q: SearchQuery): ReturnType<typeof search>;
  run(id: number, neighbours: number): RunDetail;
  deleteRun(id: number): number;
  purge(q: Filters, confirm: boolean): Promise<{ matched: number; deleted: number }>;
  hooks(env: NodeJS.ProcessEnv): HookStatus[];
  /** Re-scan stored commands with the secret filter (what waits in the spool first); refused during an import. */
  redact(filter: SecretFilter, action: SecretAction, emit: (e: RedactEvent) => void, signal?: AbortSignal): Promise<void>;
  /** Import history files on the worker thread; a second one while it runs is refused. */
  importFiles(files: ImportFiles, emit: (e: ImportEvent) => void, signal?: AbortSignal): Promise<void>;
  /** Run a sync (set up, join, now) on the worker thread; the caller runs one at a time (sync/handlers.ts' lock). */
  sync(job: SyncJob, onProgress: (p: SyncProgress) => void): Promise<SyncJobResult>;
  /** Calls `listener` with the count each time new runs arrive from the spool (or `announce`); returns a stop function. */
  watch(listener: (added: number) => void): () => void;
  /** Tell the watchers that runs arrived another way (another machine's, through sync). */
  announce(added: number): void;
  close(): void;
}

/** Records per pass the watcher starts on its own (on the spool worker). Each costs 1–2 ms (secret scan, trigrams,
 * SQLite), so a pass holds SQLite's write lock well under 100 ms (a search's ingest on the host's thread may wait
 * for it); the rest follows in the next pass (`more`). */
export const watchedPassRecords = 50;
/** A pass this long after the first append the watcher sees: each pass claims (renames) every shell's spool file
 * and later deletes it, so passes every 150 ms under steady appends spent ~6 % of a core in unlink. */
export const watchDelayMs = 500;

/** `onUpgrade`: told before the database, opened on first use, is brought up to date (seconds on a big one). */
export function createHistoryService(dataDir: string, onUpgrade?: () => void): HistoryService {
  const paths = historyPaths(dataDir);
  let database: Database | null = null;
  const db = () => (database ??= openHistoryDb(dataDir, onUpgrade));
  // While the worker writes (an import, or the clean-up after a deletion), a write here would wait for its lock on
  // the host's thread (up to the busy timeout): the spool waits (as pending, so it is ingested after), deletes are
  // refused. The name says which, for the refusal.
  let workerWriting: string | null = null;
  // A re-scan writes on this thread in short transactions; an import's worker would make each wait for its lock.
  let redacting = false;
  // A sync's worker holds the write lock a segment at a time (a fraction of a second): the spool waits for it
  // too, but a deletion is let through (it waits at most that long, and the user is waiting for it).
  let syncing = false;
  const ingest = (maxRecords = spoolLimits.maxRecords): IngestResult =>
    workerWriting || syncing ? notNow() : ingestSpool(db(), paths, { limits: { ...spoolLimits, maxRecords } });
  const refuseWhileImporting = () => {
    if (workerWriting)
      throw new ServiceError('unavailable', `${workerWriting} is running; history cannot be changed until it ends.`, {
        hint: 'Wait for it to finish, or cancel it first.',
      });
  };
  const onWorker = async (what: string, job: WorkerJob, emit?: (e: ImportEvent) => void, signal?: AbortSignal) => {
    workerWriting = what;
    try {
      db(); // migrated here first, so the worker finds the schema ready
      await runOnWorker(job, emit, signal);
    } finally {
      workerWriting = null;
    }
    // What the shells wrote meanwhile waited in the spool.
    if (listeners.size > 0) schedule(0);
  };
  // After a deletion that must leave nothing behind: the index rebuilt and the WAL emptied, on the worker (a second
  // or so of one SQLite step at a million runs, which the host's thread must not hold).
  const scrub = () => onWorker('A clean-up of deleted history', { task: 'scrub', dataDir });
  const listeners = new Set<(added: number) => void>();
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;

  let due = Infinity;
  /** A pass in `ms`, unless one is already due sooner: shells that keep appending must not put it off for ever. */
  const schedule = (ms: number) => {
    const at = Date.now() + ms;
    if (timer && at >= due) return;
    if (timer) clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      timer = null;
      watchedPass();
    }, ms);
  };
  const tell = (result: IngestResult) => {
    if (result.added > 0) for (const l of listeners) l(result.added);
    // More than one pass's bound waiting: go on after other work has had its turn. A claimed file still
    // settling: come back for it while anyone is watching.
    if (result.more) schedule(0);
    else if (result.pending > 0 && listeners.size > 0) schedule(2100);
    return result;
  };
  const ingestAndTell = (maxRecords?: number) => tell(ingest(maxRecords));
  // The watcher's passes run on the spool worker (spool-worker.ts), one at a time; a pass asked for while one runs
  // follows it.
  let spoolWorker: SpoolWorker | null = null;
  let passing = false;
  let passAgain = false;
  const watchedPass = () => {
    // No one watching (any more, or the service closed): a pass answered late must not start another thread.
    if (listeners.size === 0) return;
    if (passing) return void (passAgain = true);
    if (workerWriting || syncing) return void tell(notNow());
    passing = true;
    db(); // migrated here first, so the worker finds the schema ready
    const worker = (spoolWorker ??= startSpoolWorker(dataDir));
    worker
      .pass(watchedPassRecords)
      .then(tell, () => {
        // Its records stay in the spool: a fresh thread tries again, and a search meanwhile ingests them here
        // (where an error that persists reaches the user).
        worker.close();
        if (spoolWorker === worker) spoolWorker = null;
        if (listeners.size > 0) schedule(2100);
      })
      .finally(() => {
        passing = false;
        if (passAgain && listeners.size > 0) schedule(0);
        passAgain = false;
      });
  };

  function row(id: number): HistoryRow {
    const found = db()
      .prepare(`SELECT ${rowColumns} FROM history_runs r JOIN history_commands c ON c.id = r.command_id WHERE r.id = ?`)
      .get(id) as HistoryRow | undefined;
    if (!found) throw new ServiceError('not-found', `There is no history entry ${id}; it may have been deleted.`);
    return found;
  }

  return {
    paths,
    db,
    ingest,
    search(q) {
      ingestAndTell();
      return search(db(), q);
    },
    run(id, neighbours) {
      const run = row(id);
      if (run.session === null) return { run, before: [], after: [] };
      const near = (op: string, order: string) =>
        db()
          .prepare(`SELECT ${rowColumns} FROM history_runs r JOIN history_commands c ON c.id = r.command_id
            WHERE r.session = @session AND (r.started_at ${op} @at OR (r.started_at = @at AND r.id ${op} @id)) ORDER BY r.started_at ${order}, r.id ${order} LIMIT @n`)
          .all({ session: run.session, at: run.startedAt, id: run.runId, n: neighbours }) as HistoryRow[];
      return { run, before: near('<', 'DESC').reverse(), after: near('>', 'ASC') };
    },
    deleteRun(id) {
      refuseWhileImporting();
      return db().prepare('DELETE FROM history_runs WHERE id = ?').run(id).changes;
    },
    async purge(q, confirm) {
      if (confirm) refuseWhileImporting();
      const bind: Record<string, string | number> = {};
      const select = matchingRuns(db(), q, bind);
      const matched = db().prepare(`SELECT count(*) FROM (${select})`).pluck().get(bind) as number;
      if (!confirm || matched === 0) return { matched, deleted: 0 };
      const d = db();
      // A privacy purge: overwrite freed pages, rebuild the index without the removed texts, empty the WAL.
      d.pragma('secure_delete = ON');
      const deleted = d.transaction(() => d.prepare(`DELETE FROM history_runs WHERE id IN (${select})`).run(bind).changes).immediate();
      d.pragma('secure_delete = OFF');
      await scrub();
      return { matched, deleted };
    },
    hooks(env) {
      return shellNames.map((shell) => ({
        shell,
        rcFile: rcFile(shell, env),
        installed: hookInstalled(shell, env),
        shellPath: which(shell),
      }));
    },
    async redact(filter, action, emit, signal) {
      refuseWhileImporting();
      if (redacting) throw new ServiceError('unavailable', 'A re-scan is already running.', { hint: 'Wait for it to finish.' });
      redacting = true;
      try {
        ingest(); // what waits in the spool is stored (redacted as it goes in) first, so the re-scan covers it too
        await redactHistory(db(), filter, action, emit, signal, scrub);
      } finally {
        redacting = false;
      }
    },
    async importFiles(files, emit, signal) {
      if (workerWriting) {
        const message = workerWriting === 'An import' ? 'An import is already running.' : `${workerWriting} is running.`;
        throw new ServiceError('unavailable', message, { hint: 'Wait for it to finish, or cancel it first.' });
      }
      if (redacting)
        throw new ServiceError('unavailable', 'A re-scan of stored history is running.', { hint: 'Import once it has finished.' });
      await onWorker('An import', { task: 'import', dataDir, files }, emit, signal);
    },
    async sync(job, onProgress) {
      syncing = true;
      // Written here, as each event reaches this thread: a status asked after an event shows at least that much.
      const progress = progressWriter(dataDir);
      try {
        db(); // migrated here first, so the worker finds the schema ready
        const result = await runOnWorker<SyncProgress>({ task: 'sync', dataDir, ...job, env: { ...job.env } }, (p) => {
          progress.update(p);
          onProgress(p);
        });
        if (!result) throw new Error('the history worker ended a sync without its result');
        return result;
      } finally {
        progress.done();
        syncing = false;
        // What the shells wrote meanwhile waited in the spool.
        if (listeners.size > 0) schedule(0);
      }
    },
    announce(added) {
      for (const l of listeners) l(added);
    },
    watch(listener) {
      listeners.add(listener);
      if (!watcher) {
        ensurePrivateDir(paths.spool);
        // Shells append in bursts; one ingest per burst.
        watcher = watch(paths.spool, () => schedule(watchDelayMs));
        // A watcher alone must not keep a process alive (the CLI's in-process host, whose sync watches it).
        watcher.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && watcher) {
          watcher.close();
          watcher = null;
          if (timer) clearTimeout(timer);
          spoolWorker?.close();
          spoolWorker = null;
        }
      };
    },
    close() {
      listeners.clear();
      watcher?.close();
      if (timer) clearTimeout(timer);
      spoolWorker?.close();
      database?.close();
      database = null;
    },
  };
}
