// Doctor's check of the Docker engine Lanyard uses: the one picked in the Docker view (kept in the data folder)
// while it exists, else the one the docker CLI finds; asked for its version. Docker or Podman.
import type { Fact } from '../contract/index.ts';
import { ServiceError } from '../contract/errors.ts';
import type { CheckDefinition } from '../system/define-tool.ts';
import { check, missing } from '../system/tool-check.ts';
import { resolveDataDir } from '../system/data-dir.ts';
import { which } from '../system/which.ts';
import { endpointWarning, resolveDockerEndpoint, type DockerEndpoint } from './endpoint.ts';
import { endpointInUse } from './endpoint-choice.ts';
import { connectEngine, unreachable } from './engine.ts';

const docker = check(
  {
    id: 'docker',
    name: 'Docker engine',
    purpose: 'fills Docker cheats from the live engine',
    hint: {
      debian: 'sudo apt install docker.io',
      fedora: 'sudo dnf install moby-engine',
      macos: 'brew install --cask docker',
      windows: 'winget install Docker.DockerDesktop',
    },
  },
  async (env) => {
    const cli = which('docker', env);
    const cliFact: Fact = { label: 'docker CLI', value: cli ?? 'not found' };
    let inUse: ReturnType<typeof endpointInUse>;
    try {
      inUse = endpointInUse(resolveDataDir(env).path, env);
    } catch (error) {
      return { status: 'error', version: null, path: cli, detail: (error as Error).message, facts: [cliFact], hint: null };
    }
    const { endpoint, chosen, gone } = inUse;
    const facts: Fact[] = [
      { label: 'Endpoint', value: endpoint.host },
      { label: 'Resolved from', value: chosen ? `picked in Lanyard (${endpoint.id})` : endpoint.source },
      ...(endpoint.context ? [{ label: 'Context', value: endpoint.context }] : []),
      ...(chosen ? [{ label: "docker CLI's engine", value: cliEngine(env) }] : []),
      ...(gone ? [{ label: 'Picked in Lanyard', value: `${gone}, which no longer exists: the docker CLI's engine is used` }] : []),
      cliFact,
    ];
    const engine = connectEngine(endpoint);
    try {
      const { engineVersion, engineApiVersion } = await engine.probe();
      facts.push({ label: 'API version', value: engineApiVersion });
      const what = engine.knownFlavour() === 'podman' ? 'Podman engine' : 'Engine';
      const reached = `${what} ${engineVersion} reachable at ${endpoint.host} (API ${engineApiVersion}).`;
      const warning = endpointWarning(endpoint);
      if (gone)
        return {
          status: 'warn',
          version: engineVersion,
          path: cli,
          detail: `${reached} The engine picked in Lanyard (${gone}) no longer exists: pick one again in the Docker view (or \`lanyard docker use\`).`,
          facts,
          hint: null,
        };
      if (warning)
        return {
          status: 'warn',
          version: engineVersion,
          path: cli,
          detail: `${reached} Insecure: ${warning}`,
          facts: [...facts, { label: 'Security', value: 'plain TCP, no TLS' }],
          hint: null,
        };
      return {
        status: 'ok',
        version: engineVersion,
        path: cli,
        detail: reached,
        facts: endpoint.tls ? [...facts, { label: 'Security', value: `TLS, verified (${endpoint.tls.dir})` }] : facts,
      };
    } catch (error) {
      if (!cli && endpoint.source === 'default' && !gone)
        return { ...missing('docker'), detail: `No Docker CLI on PATH and no engine at ${endpoint.host}.`, facts };
      const problem = error instanceof ServiceError ? error : unreachable(endpoint, error);
      return {
        status: 'warn',
        version: null,
        path: cli,
        detail: `Engine not reachable: ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}`,
        facts,
        hint: null,
      };
    } finally {
      engine.dispose();
    }
  },
);

/** Where the docker CLI's own engine is, beside a pick: so Doctor shows both. */
function cliEngine(env: NodeJS.ProcessEnv): string {
  let found: DockerEndpoint;
  try {
    found = resolveDockerEndpoint(env);
  } catch (error) {
    return (error as Error).message;
  }
  return `${found.host} (from ${found.source})`;
}

export const checks: readonly CheckDefinition[] = [docker];
