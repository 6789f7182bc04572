import { ServiceError } from '../contract/errors.ts';
import type { ServiceHandlers } from '../contract/handlers.ts';
import { findHistoryFiles } from './import.ts';
import { installHook, uninstallHook } from './install.ts';
import { secretFilter } from './secrets.ts';
import type { HistoryService } from './service.ts';
import { readSettings, writeSettings } from './settings.ts';
import { historyStats } from './stats.ts';
import type { AutoSync } from './sync/auto-sync.ts';
import { syncHandlers, syncLock, type SyncLock } from './sync/handlers.ts';

export function historyHandlers(
  service: HistoryService,
  env: NodeJS.ProcessEnv,
  lock: SyncLock = syncLock(),
  auto: AutoSync | null = null,
): ServiceHandlers<'history'> {
  const sync = syncHandlers(service, env, lock, auto);
  return {
    methods: {
      ...sync.methods,
      'history.search': (q) => service.search(q),
      'history.run': (p) => service.run(p.id, p.neighbours),
      'history.stats': (p) => {
        service.ingest();
        return historyStats(service.db(), p.days, p.top);
      },
      'history.deleteRun': (p) => {
        const deleted = service.deleteRun(p.id);
        if (deleted === 0) throw new ServiceError('not-found', `There is no history entry ${p.id}.`);
        auto?.poke(); // the deletion's tombstone goes to the other machines now
        return { deleted };
      },
      'history.purge': async ({ confirm, ...filters }) => {
        const result = await service.purge(filters, confirm);
        if (result.deleted > 0) auto?.poke();
        return result;
      },
      'history.ingest': () => {
        const { added, problems } = service.ingest();
        return { added, problems };
      },
      'history.hooks': () => service.hooks(env),
      'history.install': (p) => installHook(service.paths, p.shell, { env, classicBash: p.classicBash }),
      'history.uninstall': (p) => uninstallHook(p.shell, { env }),
      'history.settings': () => readSettings(service.paths),
      'history.updateSettings': (p) => writeSettings(service.paths, p),
    },
    streams: {
      ...sync.streams,
      'history.import': async (p, emit, signal) => {
        const named = Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
        const files = Object.keys(named).length > 0 ? named : findHistoryFiles(env);
        if (Object.keys(files).length === 0) {
          throw new ServiceError('not-found', 'No shell history files were found.', {
            hint: 'Name one: --bash FILE, --zsh FILE, --fish FILE or --atuin FILE.',
          });
        }
        await service.importFiles(files, emit, signal);
      },
      'history.redact': async (_p, emit, signal) => {
        const settings = readSettings(service.paths);
        await service.redact(secretFilter(settings), settings.secretAction, emit, signal);
      },
      'history.changes': (_p, emit, signal) =>
        new Promise<void>((resolve) => {
          const stop = service.watch((added) => emit({ added }));
          signal.addEventListener('abort', () => {
            stop();
            resolve();
          });
        }),
    },
  };
}
