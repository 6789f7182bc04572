// Automatic sync in the service host, while sync is set up: soon after new runs reach the database (the spool
// watcher), soon after the synced folder changes (another machine's segment arrived), and every few minutes
// (a git remote has nothing to watch). One sync at a time (the lock), its progress told to whoever listens:
// the app shows the first big sync's.
import type { SyncEvent } from '../../history/contract.ts';
import type { HistoryService } from '../service.ts';
import { readConfig, syncPaths } from './config.ts';
import { watchSegmentFolders } from './folder-watch.ts';
import type { SyncLock } from './handlers.ts';
import { openTarget } from './sync.ts';

export interface AutoSyncTimes {
  /** After new runs: a burst of commands makes one sync. */
  afterRunsMs: number;
  /** After the folder changed: an engine writes a file in a few steps. */
  afterFolderMs: number;
  periodMs: number;
}

export const autoSyncTimes: AutoSyncTimes = { afterRunsMs: 2000, afterFolderMs: 200, periodMs: 5 * 60_000 };

export interface AutoSync {
  /** Sync in `ms` (sooner if one is already due sooner); nothing when sync is not set up. */
  poke(ms?: number): void;
  /** Progress and results of every sync the host runs on its own. */
  subscribe(listener: (e: SyncEvent) => void): () => void;
  /** Sync was set up, joined or left: start or stop watching. */
  refresh(): void;
  close(): void;
}

export function startAutoSync(
  service: HistoryService,
  env: NodeJS.ProcessEnv,
  lock: SyncLock,
  times: AutoSyncTimes = autoSyncTimes,
): AutoSync {
  const dataDir = service.paths.dataDir;
  const listeners = new Set<(e: SyncEvent) => void>();
  let timer: NodeJS.Timeout | null = null;
  let due = Infinity;
  let folder: { close(): void } | null = null;
  let watchedDir: string | null = null;
  let stopRuns: (() => void) | null = null;
  let closed = false;
  const period = setInterval(() => poke(0), times.periodMs);
  period.unref();

  const tell = (e: SyncEvent) => {
    for (const l of listeners) l(e);
  };
  const run = () =>
    lock.run(async () => {
      if (closed || !readConfig(syncPaths(dataDir))) return;
      try {
        service.ingest();
        const r = await service.sync({ op: 'now', env }, (p) => tell({ type: 'progress', ...p }));
        if (r.report.addedRuns > 0 || r.report.appliedTombstones > 0) service.announce(r.report.addedRuns);
        tell({ type: 'done', report: r.report, status: r.status, words: null });
      } catch {
        // Recorded for status (sync-last.json) by syncNow; the next poke tries again.
      }
      refresh(); // the first sync may have created the folder to watch
    });
  function poke(ms = 0): void {
    if (closed) return;
    const at = Date.now() + ms;
    if (timer && at >= due) return;
    if (timer) clearTimeout(timer);
    due = at;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, ms);
    // Nothing here keeps a process alive: the app's host lives anyway; the CLI's in-process host ends with its command.
    timer.unref();
  }
  function refresh(): void {
    const config = readConfig(syncPaths(dataDir));
    const dir = config ? openTarget(dataDir, config.target, env).watchDir : null;
    if (dir !== watchedDir) {
      folder?.close();
      folder = null;
      watchedDir = dir;
      if (dir) {
        try {
          folder = watchSegmentFolders(dir, () => poke(times.afterFolderMs));
        } catch {
          // Not there yet (the engine has not created it): the periodic sync still runs, and refresh retries.
          watchedDir = null;
        }
      }
    }
    if (config && !stopRuns) stopRuns = service.watch(() => poke(times.afterRunsMs));
    if (!config && stopRuns) {
      stopRuns();
      stopRuns = null;
    }
  }
  refresh();
  poke(times.afterRunsMs);
  return {
    poke,
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearInterval(period);
      if (timer) clearTimeout(timer);
      folder?.close();
      stopRuns?.();
    },
  };
}
