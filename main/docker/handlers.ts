import type { ServiceHandlers } from '../contract/handlers.ts';
import type { TerminalManager } from '../terminal/tool.ts';
import { projectDetails, runComposeAction } from './compose/run.ts';
import { planDebug, openDebugShell } from './debug/debug.ts';
import { createContainerCache, type ContainerCache } from './container-cache.ts';
import type { Engine } from './engine.ts';
import { deleteUserCheat, loadCheats, saveUserCheat } from './cheats.ts';
import { fuzzyFilter } from './fuzzy.ts';
import { importCheats } from './import/import.ts';
import { remember } from './last-used.ts';
import { listContainers } from './listings.ts';
import { runInTerminal } from './run-in-terminal.ts';
import type { DockerService } from './service.ts';
import { followEvents, followLogs } from './streams.ts';
import { suggest } from './suggest.ts';
import { commandShell } from '../system/user-shell.ts';

export function dockerHandlers(docker: DockerService, terminals: TerminalManager): ServiceHandlers<'docker'> {
  const { dataDir, env } = docker;
  // One per engine endpoint: suggestions read it instead of listing every container each keystroke.
  const caches = new Map<Engine, ContainerCache>();
  const cacheOf = (engine: Engine) => {
    let cache = caches.get(engine);
    if (!cache) caches.set(engine, (cache = createContainerCache(engine)));
    return cache;
  };
  return {
    dispose: () => {
      for (const cache of caches.values()) cache.close();
    },
    methods: {
      'docker.engine': () => docker.status(),
      'docker.endpoints': () => docker.endpoints(),
      'docker.chooseEndpoint': (params) => docker.chooseEndpoint(params.id),
      'docker.cliEnvironment': async () => ({
        env: Object.fromEntries(Object.entries(await docker.cliEnvironment()).map(([name, value]) => [name, value ?? null])),
      }),
      'docker.cheats': (params) => {
        const library = loadCheats(dataDir);
        return { cheats: fuzzyFilter(library.cheats, params.query ?? ''), problems: library.problems };
      },
      'docker.cheat': (params) => docker.cheatWithLastUsed(params.id),
      'docker.render': (params) => docker.render(params.id, params.values, params.dialect),
      'docker.remember': (params) => {
        docker.cheatWithLastUsed(params.id);
        remember(dataDir, params.id, params.values);
        return {};
      },
      // The engine is asked first: its flavour (docker or podman) decides the command and the terminal's variables.
      'docker.runInTerminal': async (params) => runInTerminal(docker, terminals, params, await docker.cliEnvironment()),
      'docker.suggest': (params) => {
        const engine = docker.engine();
        return suggest(engine, params, env, params.kind === 'container' ? cacheOf(engine) : undefined);
      },
      'docker.containers': (params) => listContainers(docker.engine(), params.all, params.ids && { id: params.ids }),
      'docker.containerCommand': (params) => ({ command: docker.containerCommand(params.action, params.container) }),
      'docker.containerAction': async (params) => ({ command: await docker.containerAction(params.action, params.container) }),
      'docker.saveCheat': (params) => {
        const file = saveUserCheat(dataDir, loadCheats(dataDir), params.cheat);
        return { ...params.cheat, source: 'user' as const, file };
      },
      'docker.deleteCheat': (params) => (deleteUserCheat(dataDir, loadCheats(dataDir), params.id), {}),
      'docker.import': (params) => importCheats(dataDir, params.format, params.path),
      // Issue 16: debug shell and Compose projects.
      'docker.debugPlan': (params) => planDebug(docker.engine(), params, params.dialect ?? commandShell(env).dialect),
      'docker.debugShell': (params) => openDebugShell(docker, terminals, params),
      'docker.composeProject': (params) => projectDetails(docker, params.project, params.dialect),
      'docker.composeRun': (params) => runComposeAction(docker, terminals, params),
    },
    streams: {
      'docker.events': (_params, emit, signal) => followEvents(docker.engine(), emit, signal),
      'docker.logs': (params, emit, signal) => followLogs(docker.engine(), params.container, params, emit, signal),
    },
  };
}
