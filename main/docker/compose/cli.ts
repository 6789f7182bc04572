// Which Compose CLI is installed: `docker compose` (v2, a docker CLI plugin) first, else `docker-compose`
// (v1 in Debian, or v2's standalone binary), else `podman-compose`. Asked once per PATH and docker config
// folder (where CLI plugins are found).
// On a Podman engine the tool is pointed at Podman's socket on the command line itself, as Podman's docs advise
// (Podman 4.3 has no `podman compose`): shown to the user exactly as it runs.
import { execFile } from 'node:child_process';
import { which } from '../../system/which.ts';
import type { EngineFlavour } from '../engine.ts';

export type ComposeCli = ['docker', 'compose'] | ['docker-compose'] | ['podman-compose'];

const cached = new Map<string, Promise<ComposeCli | null>>();
/** Environments remembered at once (a process sees one or two; tests a few more): the oldest is forgotten. */
const cachedCap = 8;

function pluginAnswers(docker: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(docker, ['compose', 'version'], { env, timeout: 5000 }, (error) => resolve(!error));
  });
}

export function composeCli(env: NodeJS.ProcessEnv): Promise<ComposeCli | null> {
  const key = [env.PATH, env.DOCKER_CONFIG, env.HOME].join('\0');
  const known = cached.get(key);
  if (known) return known;
  const found = (async () => {
    const docker = which('docker', env);
    if (docker && (await pluginAnswers(docker, env))) return ['docker', 'compose'] as ComposeCli;
    if (which('docker-compose', env)) return ['docker-compose'] as ComposeCli;
    return which('podman-compose', env) ? (['podman-compose'] as ComposeCli) : null;
  })();
  cached.set(key, found);
  if (cached.size > cachedCap) cached.delete(cached.keys().next().value!);
  return found;
}

/**
 * The variables the compose tool needs on its command line to reach the engine in use: none for Docker (the
 * terminal's DOCKER_HOST / DOCKER_CONTEXT do it); for Podman, DOCKER_HOST at its socket (docker compose and
 * docker-compose speak the Docker API to it), or CONTAINER_HOST for podman-compose (which runs podman).
 */
export function composeEnv(cli: ComposeCli, flavour: EngineFlavour, host: string): [string, string][] {
  if (flavour !== 'podman') return [];
  return [[cli[0] === 'podman-compose' ? 'CONTAINER_HOST' : 'DOCKER_HOST', host]];
}

export const noComposeTool = {
  message: 'No Compose tool is installed (docker compose, docker-compose or podman-compose).',
  podman: 'Podman 4.3 has no `podman compose`: Lanyard runs docker-compose (or podman-compose) against the Podman socket.',
  hint: 'Install one: sudo apt install docker-compose (or the docker-compose-plugin package, or podman-compose).',
};
