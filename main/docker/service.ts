// The Docker service: the engine at the endpoint the docker CLI would use, the cheat library and the
// values last used. One per service host.
import { ServiceError } from '../contract/errors.ts';
import type { ContainerAction, EngineStatus, ShellDialect } from './contract.ts';
import { findCheat, loadCheats } from './cheats.ts';
import { endpointWarning, resolveDockerEndpoint } from './endpoint.ts';
import { connectEngine, type Engine } from './engine.ts';
import { lastUsed } from './last-used.ts';
import { commandLine } from '../system/shell-quote.ts';
import { commandShell } from '../system/user-shell.ts';
import { checkValue, renderCheat, TemplateError, ValueError } from './template.ts';

export interface DockerServiceOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
}

export interface DockerService {
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  engine(): Engine;
  status(): Promise<EngineStatus>;
  /** The cheat's command line, quoted for `dialect`: by default for the shell a terminal runs it with. */
  render(id: string, values: Record<string, string>, dialect?: ShellDialect): ReturnType<typeof renderCheat>;
  cheatWithLastUsed(id: string): { cheat: ReturnType<typeof findCheat>; lastUsed: Record<string, string> };
  containerCommand(action: ContainerAction, container: string): string;
  containerAction(action: ContainerAction, container: string): Promise<string>;
}

export function createDockerService(options: DockerServiceOptions): DockerService {
  const engines = new Map<string, Engine>();

  function engine(): Engine {
    let endpoint;
    try {
      endpoint = resolveDockerEndpoint(options.env);
    } catch (error) {
      throw new ServiceError('unavailable', (error as Error).message, {
        hint: 'Fix the context with `docker context use default`, or set DOCKER_HOST.',
      });
    }
    let found = engines.get(endpoint.host);
    if (!found) engines.set(endpoint.host, (found = connectEngine(endpoint)));
    return found;
  }

  function render(id: string, values: Record<string, string>, dialect?: ShellDialect) {
    const cheat = findCheat(loadCheats(options.dataDir), id);
    try {
      return renderCheat(cheat, values, dialect ?? commandShell(options.env).dialect);
    } catch (error) {
      if (error instanceof ValueError)
        throw new ServiceError('invalid-argument', error.message, { field: `params.values.${error.placeholder}` });
      if (error instanceof TemplateError)
        throw new ServiceError('invalid-argument', error.message, {
          field: 'params.id',
          hint: 'Edit the cheat so each placeholder is a word of its own.',
        });
      throw error;
    }
  }

  function containerCommand(action: ContainerAction, container: string): string {
    try {
      checkValue({ name: 'container', kind: 'container' }, container);
    } catch (error) {
      throw new ServiceError('invalid-argument', (error as Error).message, { field: 'params.container' });
    }
    const verb = action === 'remove' ? 'rm' : action;
    // Shown to the user before it runs (through the Engine API): written as their own shell would take it.
    return commandLine(['docker', verb, container], commandShell(options.env).dialect);
  }

  return {
    dataDir: options.dataDir,
    env: options.env,
    engine,
    async status() {
      let e: Engine;
      try {
        e = engine();
      } catch (error) {
        const problem = error as ServiceError;
        return {
          host: '',
          source: 'default',
          context: null,
          reachable: false,
          apiVersion: null,
          engineVersion: null,
          problem: problem.message,
          hint: problem.hint ?? null,
          warning: null,
        };
      }
      const base = { host: e.endpoint.host, source: e.endpoint.source, context: e.endpoint.context, warning: endpointWarning(e.endpoint) };
      try {
        const { apiVersion, engineVersion } = await e.probe();
        return { ...base, reachable: true, apiVersion, engineVersion, problem: null, hint: null };
      } catch (error) {
        const problem = error instanceof ServiceError ? error : new ServiceError('unavailable', String(error));
        return { ...base, reachable: false, apiVersion: null, engineVersion: null, problem: problem.message, hint: problem.hint ?? null };
      }
    },
    render,
    cheatWithLastUsed(id) {
      const cheat = findCheat(loadCheats(options.dataDir), id);
      return {
        cheat,
        lastUsed: lastUsed(
          options.dataDir,
          id,
          cheat.placeholders.map((p) => p.name),
        ),
      };
    },
    containerCommand,
    async containerAction(action, container) {
      const command = containerCommand(action, container);
      const target = `/containers/${encodeURIComponent(container)}`;
      if (action === 'remove') await engine().json('DELETE', target, { force: false });
      else await engine().json('POST', `${target}/${action}`);
      return command;
    },
  };
}
