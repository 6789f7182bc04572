// The Docker service: the engine at the endpoint the docker CLI would use, the cheat library and the
// values last used. One per service host.
import { ServiceError } from '../contract/errors.ts';
import type { ContainerAction, EndpointSummary, EngineStatus, ShellDialect } from './contract.ts';
import { findCheat, loadCheats } from './cheats.ts';
import { endpointById, endpointWarning, listEndpoints, type DockerEndpoint } from './endpoint.ts';
import { chosenEndpoint, endpointInUse, saveChosenEndpoint } from './endpoint-choice.ts';
import { composeCli, composeEnv, noComposeTool } from './compose/cli.ts';
import { cliEnvironment, NoComposeTool, templateForEngine } from './engine-cli.ts';
import { connectEngine, type Engine, type EngineFlavour } from './engine.ts';
import { lastUsed } from './last-used.ts';
import { commandLine, envCommandLine } from '../system/shell-quote.ts';
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
  endpoints(): { endpoints: EndpointSummary[]; chosen: string | null };
  /** Use this endpoint from now on (persisted); null: the one the docker CLI would use. */
  chooseEndpoint(id: string | null): Promise<EngineStatus>;
  /** Docker or Podman, as far as known (pings the engine when it can). */
  flavour(): Promise<EngineFlavour>;
  /** Variables that point a terminal's CLI at the engine in use. */
  cliEnvironment(): Promise<Record<string, string | undefined>>;
  /** The cheat's command line, quoted for `dialect`: by default for the shell a terminal runs it with. */
  render(id: string, values: Record<string, string>, dialect?: ShellDialect): Promise<ReturnType<typeof renderCheat>>;
  cheatWithLastUsed(id: string): { cheat: ReturnType<typeof findCheat>; lastUsed: Record<string, string> };
  containerCommand(action: ContainerAction, container: string): string;
  containerAction(action: ContainerAction, container: string): Promise<string>;
}

export function createDockerService(options: DockerServiceOptions): DockerService {
  const engines = new Map<string, Engine>();

  /** The endpoint picked in the Docker view while it still exists, else the one the docker CLI would use. */
  function endpoint(): { endpoint: DockerEndpoint; chosen: boolean } {
    try {
      return endpointInUse(options.dataDir, options.env);
    } catch (error) {
      throw new ServiceError('unavailable', (error as Error).message, {
        hint: 'Fix the context with `docker context use default`, or set DOCKER_HOST.',
      });
    }
  }

  function engine(): Engine {
    const { endpoint: found } = endpoint();
    const key = `${found.id} ${found.host}`;
    let cached = engines.get(key);
    if (!cached) engines.set(key, (cached = connectEngine(found, { env: options.env, dialect: commandShell(options.env).dialect })));
    return cached;
  }

  /** The flavour without waiting: what the engine said, or what its socket is. */
  function knownFlavour(e: Engine): EngineFlavour {
    return e.knownFlavour() ?? (e.endpoint.source === 'podman' ? 'podman' : 'docker');
  }

  async function flavour(): Promise<EngineFlavour> {
    const e = engine();
    try {
      return (await e.negotiated()).flavour;
    } catch {
      return knownFlavour(e);
    }
  }

  async function status(): Promise<EngineStatus> {
    let e: Engine;
    let chosen = false;
    try {
      chosen = endpoint().chosen;
      e = engine();
    } catch (error) {
      const problem = error as ServiceError;
      return {
        endpointId: '',
        chosen: false,
        host: '',
        source: 'default',
        context: null,
        flavour: null,
        reachable: false,
        apiVersion: null,
        engineVersion: null,
        problem: problem.message,
        hint: problem.hint ?? null,
        warning: null,
      };
    }
    const base = {
      endpointId: e.endpoint.id,
      chosen,
      host: e.endpoint.host,
      source: e.endpoint.source,
      context: e.endpoint.context,
      warning: endpointWarning(e.endpoint),
    };
    try {
      const { apiVersion, engineVersion } = await e.probe();
      return { ...base, flavour: e.knownFlavour(), reachable: true, apiVersion, engineVersion, problem: null, hint: null };
    } catch (error) {
      const problem = error instanceof ServiceError ? error : new ServiceError('unavailable', String(error));
      return {
        ...base,
        flavour: e.knownFlavour(),
        reachable: false,
        apiVersion: null,
        engineVersion: null,
        problem: problem.message,
        hint: problem.hint ?? null,
      };
    }
  }

  /**
   * What `docker compose` in a cheat becomes. Podman: the compose tool pointed at its socket, null if none. Docker:
   * null (as written) where the plugin answers or no tool is there to use instead, else that tool (docker-compose).
   */
  async function composeFor(program: EngineFlavour, host: string, dialect: ShellDialect): Promise<string | null> {
    const cli = await composeCli(options.env);
    if (program === 'docker' && (!cli || cli[0] === 'docker')) return null;
    return cli ? envCommandLine(composeEnv(cli, program, host), cli, dialect) : null;
  }

  async function render(id: string, values: Record<string, string>, dialect = commandShell(options.env).dialect) {
    const cheat = findCheat(loadCheats(options.dataDir), id);
    // Podman: the cheat's `docker` becomes `podman` before the template is read, quoted and checked as usual.
    let program: EngineFlavour = 'docker';
    let host = '';
    try {
      const e = engine();
      program = knownFlavour(e);
      host = e.endpoint.host;
    } catch {
      // no usable endpoint: the cheat is shown as written
    }
    try {
      const compose = cheat.template.includes('compose') ? await composeFor(program, host, dialect) : null;
      return renderCheat({ ...cheat, template: templateForEngine(cheat.template, program, compose) }, values, dialect);
    } catch (error) {
      if (error instanceof NoComposeTool)
        throw new ServiceError('unavailable', `${noComposeTool.message} ${noComposeTool.podman}`, { hint: noComposeTool.hint });
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
    return commandLine([knownFlavour(engine()), verb, container], commandShell(options.env).dialect);
  }

  return {
    dataDir: options.dataDir,
    env: options.env,
    engine,
    status,
    endpoints() {
      const inUse = (() => {
        try {
          return endpoint().endpoint.id;
        } catch {
          return null;
        }
      })();
      const endpoints = listEndpoints(options.env).map((e) => ({
        id: e.id,
        host: e.host,
        source: e.source,
        context: e.context,
        tls: e.tls !== null,
        warning: endpointWarning(e),
        current: e.id === inUse,
      }));
      return { endpoints, chosen: chosenEndpoint(options.dataDir) };
    },
    async chooseEndpoint(id) {
      if (id !== null && !endpointById(options.env, id))
        throw new ServiceError('not-found', `There is no engine "${id}" (any more).`, {
          field: 'params.id',
          hint: 'Pick one that `lanyard docker engines` (or the Docker view’s engine picker) lists.',
        });
      saveChosenEndpoint(options.dataDir, id);
      return status();
    },
    flavour,
    async cliEnvironment() {
      let e: Engine;
      try {
        e = engine();
      } catch {
        return {}; // no usable endpoint: the terminal's docker finds its own, and says what is wrong
      }
      return cliEnvironment(e.endpoint, await flavour());
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
