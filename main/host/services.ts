// The handler table: every service's handlers, assembled once per host.
import type { AppInfo } from '../contract/index.ts';
import { capturesHandlers } from '../captures/handlers.ts';
import { certsHandlers } from '../certs/handlers.ts';
import { dockerHandlers } from '../docker/handlers.ts';
import { createDockerService } from '../docker/service.ts';
import { doctorHandlers } from '../doctor/handlers.ts';
import { historyHandlers } from '../history/handlers.ts';
import { createHistoryService } from '../history/service.ts';
import { appVersion } from '../system/app-version.ts';
import { resolveDataDir, type DataDir } from '../system/data-dir.ts';
import { terminalHandlers } from '../terminal/handlers.ts';
import { createTerminalManager } from '../terminal/manager.ts';
import type { HandlerTable } from './host.ts';

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
  const doctor = doctorHandlers({ appVersion, dataDir, env });
  const captures = capturesHandlers({ env });
  const certs = certsHandlers({ dataDir: dataDir.path, env });
  const terminals = createTerminalManager(env, dataDir.path);
  const docker = dockerHandlers(createDockerService({ dataDir: dataDir.path, env }), terminals);
  const terminal = terminalHandlers(terminals);
  const history = historyHandlers(createHistoryService(dataDir.path), env);
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
  };
}
