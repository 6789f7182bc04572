// The engine picked in the Docker view, kept in $LANYARD_HOME/docker/engine.json (0600) so it survives a restart.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../system/atomic-file.ts';
import { endpointById, resolveDockerEndpoint, type DockerEndpoint } from './endpoint.ts';

function choiceFile(dataDir: string): string {
  return path.join(dataDir, 'docker', 'engine.json');
}

/** The id of the endpoint picked, or null (use the one the docker CLI would). */
export function chosenEndpoint(dataDir: string): string | null {
  try {
    const data = JSON.parse(readFileSync(choiceFile(dataDir), 'utf8')) as { endpoint?: unknown };
    return typeof data.endpoint === 'string' && data.endpoint !== '' ? data.endpoint : null;
  } catch {
    return null;
  }
}

export function saveChosenEndpoint(dataDir: string, id: string | null): void {
  if (id === null) rmSync(choiceFile(dataDir), { force: true });
  else writeFileAtomic(choiceFile(dataDir), JSON.stringify({ endpoint: id }), 0o600);
}

/**
 * The engine Lanyard uses: the one picked while it still exists, else the one the docker CLI would use (which
 * throws as resolveDockerEndpoint does). `gone`: the id of a pick that no longer exists.
 */
export function endpointInUse(dataDir: string, env: NodeJS.ProcessEnv): { endpoint: DockerEndpoint; chosen: boolean; gone: string | null } {
  const id = chosenEndpoint(dataDir);
  const picked = id ? endpointById(env, id) : null;
  if (picked) return { endpoint: picked, chosen: true, gone: null };
  return { endpoint: resolveDockerEndpoint(env), chosen: false, gone: id };
}
