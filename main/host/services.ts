// The handler table: every service's handlers, assembled once per host. Each service's code loads on its
// first request (see lazy-service.ts), so the host answers its first request without loading them all.
import type { AppInfo } from '../contract/index.ts';
import { appVersion } from '../system/app-version.ts';
import { resolveDataDir, type DataDir } from '../system/data-dir.ts';
import type { HandlerTable } from './host.ts';
import { lazyService, once } from './lazy-service.ts';

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
  const dataDir: DataDir = resolveDataDir(env);

  const terminals = once(async () => (await import('../terminal/manager.ts')).createTerminalManager(env, dataDir.path));

  const doctor = lazyService('doctor', async () => (await import('../doctor/handlers.ts')).doctorHandlers({ appVersion, dataDir, env }));
  const captures = lazyService('captures', async () => (await import('../captures/handlers.ts')).capturesHandlers({ env }));
  const certs = lazyService('certs', async () => (await import('../certs/handlers.ts')).certsHandlers({ dataDir: dataDir.path, env }));
  const docker = lazyService('docker', async () => {
    const [{ dockerHandlers }, { createDockerService }] = await Promise.all([import('../docker/handlers.ts'), import('../docker/service.ts')]);
    return dockerHandlers(createDockerService({ dataDir: dataDir.path, env }), await terminals());
  });
  const terminal = lazyService('terminal', async () => {
    const manager = await terminals();
    return { ...(await import('../terminal/handlers.ts')).terminalHandlers(manager), dispose: () => manager.closeAll() };
  });
  const history = lazyService('history', async () => {
    const [{ historyHandlers }, { createHistoryService }, { refreshInstalledHooks }, { upgradeHistoryDb }] = await Promise.all([
      import('../history/handlers.ts'),
      import('../history/service.ts'),
      import('../history/install.ts'),
      import('../history/upgrade.ts'),
    ]);
    // Off the host's thread: an upgrade of a big database takes seconds.
    await upgradeHistoryDb(dataDir.path);
    const service = createHistoryService(dataDir.path);
    try {
      refreshInstalledHooks(service.paths);
    } catch (error) {
      // Shells go on with the script they have; `lanyard history install` writes it again.
      process.stderr.write(`lanyard: could not update the installed shell hooks: ${(error as Error).message}\n`);
    }
    return { ...historyHandlers(service, env), dispose: () => service.close() };
  });
  const services = [doctor, captures, certs, docker, terminal, history];

  return {
    methods: {
      'app.info': () => ({ name: 'Lanyard', version: appVersion, dataDir: dataDir.path, platform: platformName(), transport: options.transport }),
      ...doctor.methods,
      ...captures.methods,
      ...certs.methods,
      ...docker.methods,
      ...terminal.methods,
      ...history.methods,
    },
    streams: {
      ...doctor.streams,
      ...captures.streams,
      ...certs.streams,
      ...docker.streams,
      ...terminal.streams,
      ...history.streams,
    },
    warm: async () => {
      for (const service of services) await service.warm().catch(() => undefined);
    },
    dispose: async () => {
      await Promise.all(services.map((s) => s.dispose()));
    },
  };
}
