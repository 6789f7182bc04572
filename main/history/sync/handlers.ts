// The contract's sync methods and streams, over the History service's database. Syncs run on the history worker
// thread (service.sync); one at a time per host: a second request waits for the one running (the auto-sync's,
// say) and then runs its own.
import type { SyncEvent } from '../../history/contract.ts';
import type { ServiceHandlers } from '../../contract/handlers.ts';
import type { HistoryService } from '../service.ts';
import type { AutoSync } from './auto-sync.ts';
import type { SyncProgress } from './engine.ts';
import type { SyncJobResult } from './job.ts';
import { leaveSync, syncStatus } from './sync.ts';

type Handlers = ServiceHandlers<'history'>;

export interface SyncLock {
  run<T>(job: () => Promise<T>): Promise<T>;
}

export function syncLock(): SyncLock {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(job) {
      const next = tail.then(job, job);
      tail = next.catch(() => undefined);
      return next;
    },
  };
}

export function syncHandlers(
  service: HistoryService,
  env: NodeJS.ProcessEnv,
  lock: SyncLock,
  auto: AutoSync | null,
): {
  methods: Pick<Handlers['methods'], 'history.syncStatus' | 'history.syncLeave'>;
  streams: Pick<Handlers['streams'], 'history.syncSetup' | 'history.syncJoin' | 'history.syncNow' | 'history.syncEvents'>;
} {
  const dataDir = service.paths.dataDir;
  const progress = (emit: (e: SyncEvent) => void) => (p: SyncProgress) => emit({ type: 'progress', ...p });
  const done = (emit: (e: SyncEvent) => void, r: SyncJobResult) => {
    if (r.report.addedRuns > 0 || r.report.appliedTombstones > 0) service.announce(r.report.addedRuns);
    emit({ type: 'done', report: r.report, status: r.status, words: r.words });
  };
  return {
    methods: {
      'history.syncStatus': (p) => syncStatus(service.db(), dataDir, p.withKey),
      'history.syncLeave': () =>
        lock.run(async () => {
          leaveSync(service.db(), dataDir);
          auto?.refresh();
          return syncStatus(service.db(), dataDir);
        }),
    },
    streams: {
      'history.syncSetup': (p, emit) =>
        lock.run(async () => {
          service.ingest();
          const r = await service.sync({ op: 'setup', env, target: p.target, name: p.name }, progress(emit));
          auto?.refresh();
          done(emit, r);
        }),
      'history.syncJoin': (p, emit) =>
        lock.run(async () => {
          service.ingest();
          const r = await service.sync({ op: 'join', env, target: p.target, words: p.words, name: p.name }, progress(emit));
          auto?.refresh();
          done(emit, r);
        }),
      'history.syncEvents': (_p, emit, signal) =>
        new Promise<void>((resolve) => {
          const stop = auto?.subscribe(emit);
          signal.addEventListener('abort', () => {
            stop?.();
            resolve();
          });
        }),
      'history.syncNow': (_p, emit) =>
        lock.run(async () => {
          service.ingest();
          done(emit, await service.sync({ op: 'now', env }, progress(emit)));
        }),
    },
  };
}
