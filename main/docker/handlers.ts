import type { ServiceHandlers } from '../contract/handlers.ts';
import type { TerminalManager } from '../terminal/tool.ts';
import { deleteUserCheat, loadCheats, saveUserCheat } from './cheats.ts';
import { fuzzyFilter } from './fuzzy.ts';
import { importCheats } from './import/import.ts';
import { remember } from './last-used.ts';
import { listContainers } from './listings.ts';
import { runInTerminal } from './run-in-terminal.ts';
import type { DockerService } from './service.ts';
import { followEvents, followLogs } from './streams.ts';
import { suggest } from './suggest.ts';

export function dockerHandlers(docker: DockerService, terminals: TerminalManager): ServiceHandlers<'docker'> {
  const { dataDir, env } = docker;
  return {
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
      'docker.suggest': (params) => suggest(docker.engine(), params, env),
      'docker.containers': (params) => listContainers(docker.engine(), params.all),
      'docker.containerCommand': (params) => ({ command: docker.containerCommand(params.action, params.container) }),
      'docker.containerAction': async (params) => ({ command: await docker.containerAction(params.action, params.container) }),
      'docker.saveCheat': (params) => {
        const file = saveUserCheat(dataDir, loadCheats(dataDir), params.cheat);
        return { ...params.cheat, source: 'user' as const, file };
      },
      'docker.deleteCheat': (params) => (deleteUserCheat(dataDir, loadCheats(dataDir), params.id), {}),
      'docker.import': (params) => importCheats(dataDir, params.format, params.path),
    },
    streams: {
      'docker.events': (_params, emit, signal) => followEvents(docker.engine(), emit, signal),
      'docker.logs': (params, emit, signal) => followLogs(docker.engine(), params.container, params, emit, signal),
    },
  };
}
