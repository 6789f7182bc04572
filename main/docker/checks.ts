// Doctor's check of the Docker engine: found as the docker CLI finds it, and asked for its version.
import type { Fact } from '../contract/index.ts';
import { ServiceError } from '../contract/errors.ts';
import type { CheckDefinition } from '../system/define-tool.ts';
import { check, missing } from '../system/tool-check.ts';
import { which } from '../system/which.ts';
import { endpointWarning, resolveDockerEndpoint } from './endpoint.ts';
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
    let endpoint;
    try {
      endpoint = resolveDockerEndpoint(env);
    } catch (error) {
      return { status: 'error', version: null, path: cli, detail: (error as Error).message, facts: [cliFact] };
    }
    const facts: Fact[] = [
      { label: 'Endpoint', value: endpoint.host },
      { label: 'Resolved from', value: endpoint.source },
      ...(endpoint.context ? [{ label: 'Context', value: endpoint.context }] : []),
      cliFact,
    ];
    try {
      const { engineVersion, engineApiVersion } = await connectEngine(endpoint).probe();
      facts.push({ label: 'API version', value: engineApiVersion });
      const reached = `Engine ${engineVersion} reachable at ${endpoint.host} (API ${engineApiVersion}).`;
      const warning = endpointWarning(endpoint);
      if (warning)
        return {
          status: 'warn',
          version: engineVersion,
          path: cli,
          detail: `${reached} Insecure: ${warning}`,
          facts: [...facts, { label: 'Security', value: 'plain TCP, no TLS' }],
        };
      return {
        status: 'ok',
        version: engineVersion,
        path: cli,
        detail: reached,
        facts: endpoint.tls ? [...facts, { label: 'Security', value: `TLS, verified (${endpoint.tls.dir})` }] : facts,
      };
    } catch (error) {
      if (!cli && endpoint.source === 'default')
        return { ...missing('docker'), detail: `No Docker CLI on PATH and no engine at ${endpoint.host}.`, facts };
      const problem = error instanceof ServiceError ? error : unreachable(endpoint, error);
      return {
        status: 'warn',
        version: null,
        path: cli,
        detail: `Engine not reachable: ${problem.message}${problem.hint ? ` ${problem.hint}` : ''}`,
        facts,
      };
    }
  },
);

export const checks: readonly CheckDefinition[] = [docker];
