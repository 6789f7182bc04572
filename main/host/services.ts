// The handler table: every tool's handlers, assembled once per host from the tool list. Each tool's code loads on
// its first request (see lazy-service.ts), so the host answers its first request without loading them all.
import type { AppInfo } from '../contract/index.ts';
import type { MethodHandlers, StreamHandlerTable } from '../contract/handlers.ts';
import { toolNames } from '../contract/tools.ts';
import { appVersion } from '../system/app-version.ts';
import { resolveDataDir } from '../system/data-dir.ts';
import type { ToolContext } from '../system/define-tool.ts';
import { loadTool } from '../system/tool-files.ts';
import type { HandlerTable } from './host.ts';
import { lazyService } from './lazy-service.ts';

export interface HostOptions {
  transport: AppInfo['transport'];
  env?: NodeJS.ProcessEnv;
}

function platformName(): AppInfo['platform'] {
  const p = process.platform;
  return p === 'linux' || p === 'darwin' || p === 'win32' ? p : 'other';
}

export function createHandlerTable(options: HostOptions): HandlerTable {
  const env = options.env ?? process.env;
  const dataDir = resolveDataDir(env);
  const shared = new Map<string, Promise<unknown>>();
  const context: ToolContext = {
    env,
    dataDir,
    appVersion,
    share<T>(key: string, make: () => Promise<T>): Promise<T> {
      let value = shared.get(key);
      if (!value) shared.set(key, (value = make()));
      return value as Promise<T>;
    },
  };
  const services = toolNames.map((name) => lazyService(name, async () => (await loadTool(name)).load(context)));

  return {
    // Each lazy service lists exactly its tool's names from the contract, and every name but app.* belongs to a
    // listed tool (contract/index.ts is built from the same list), so together they are the whole table.
    methods: Object.assign(
      {
        'app.info': () => ({
          name: 'Lanyard',
          version: appVersion,
          dataDir: dataDir.path,
          platform: platformName(),
          transport: options.transport,
        }),
      },
      ...services.map((s) => s.methods),
    ) as MethodHandlers,
    streams: Object.assign({}, ...services.map((s) => s.streams)) as StreamHandlerTable,
    warm: async () => {
      for (const service of services) await service.warm().catch(() => undefined);
    },
    dispose: async () => {
      await Promise.all(services.map((s) => s.dispose()));
    },
  };
}
