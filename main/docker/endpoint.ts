import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DockerEndpoint {
  /** As the docker CLI writes it: unix:///…, tcp://host:port, npipe:////./pipe/… */
  host: string;
  /** Where the value came from, for the UI. */
  source: 'flag' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config.json' | 'default';
  context: string | null;
}

export interface EndpointOverrides {
  host?: string;
  context?: string;
}

const defaultHost = process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';

/** Resolve the engine endpoint the way the docker CLI does (flags, env, config.json, context store, default). */
export function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env, overrides: EndpointOverrides = {}): DockerEndpoint {
  const configDir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  if (overrides.host) return { host: overrides.host, source: 'flag', context: null };
  if (overrides.context) return fromContext(configDir, overrides.context, 'flag');
  if (env.DOCKER_HOST) return { host: env.DOCKER_HOST, source: 'DOCKER_HOST', context: null };
  if (env.DOCKER_CONTEXT) return fromContext(configDir, env.DOCKER_CONTEXT, 'DOCKER_CONTEXT');
  const current = readCurrentContext(configDir);
  if (current) return fromContext(configDir, current, 'config.json');
  return { host: defaultHost, source: 'default', context: null };
}

function fromContext(configDir: string, name: string, source: DockerEndpoint['source']): DockerEndpoint {
  if (name === 'default') return { host: defaultHost, source, context: name };
  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch {
    throw new Error(`Docker context "${name}" (from ${source}) has no readable ${metaFile}. Run \`docker context ls\` to see the contexts that exist.`);
  }
  const host = (meta as { Endpoints?: { docker?: { Host?: unknown } } }).Endpoints?.docker?.Host;
  if (typeof host !== 'string' || host === '') throw new Error(`Docker context "${name}" has no docker endpoint in ${metaFile}.`);
  return { host, source, context: name };
}

function readCurrentContext(configDir: string): string | null {
  try {
    const config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' && config.currentContext !== '' ? config.currentContext : null;
  } catch {
    return null;
  }
}

/** The contexts in the docker CLI's store, "default" first, with the host each points at. */
export function listContexts(env: NodeJS.ProcessEnv = process.env): { name: string; host: string }[] {
  const configDir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const metaDir = path.join(configDir, 'contexts', 'meta');
  const contexts = [{ name: 'default', host: defaultHost }];
  let ids: string[] = [];
  try {
    ids = readdirSync(metaDir);
  } catch {
    return contexts;
  }
  for (const id of ids) {
    try {
      const meta = JSON.parse(readFileSync(path.join(metaDir, id, 'meta.json'), 'utf8')) as { Name?: unknown; Endpoints?: { docker?: { Host?: unknown } } };
      if (typeof meta.Name === 'string') contexts.push({ name: meta.Name, host: typeof meta.Endpoints?.docker?.Host === 'string' ? meta.Endpoints.docker.Host : '' });
    } catch {
      // a half-written context: the docker CLI skips it too
    }
  }
  return contexts;
}
