import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Where the Docker engine is, found as the docker CLI finds it (flag, DOCKER_HOST, DOCKER_CONTEXT, the current
// context, the default socket), and every other engine there is to switch to: the CLI's contexts and Podman's sockets.

export interface DockerEndpoint {
  /** Stable name for the UI's choice: "DOCKER_HOST", "flag", "context:NAME", "podman:rootless", "podman:rootful". */
  id: string;
  /** As the docker CLI writes it: unix:///…, tcp://host:port, ssh://user@host:port, npipe:////./pipe/… */
  host: string;
  /** Where the value came from, for the UI: "context" and "podman" are engines listed to switch to. */
  source: 'flag' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config.json' | 'default' | 'context' | 'podman';
  context: string | null;
  /** TLS for a tcp:// engine, as the docker CLI would use it; null for sockets, pipes and plain tcp://. */
  tls: EngineTls | null;
}

export interface EngineTls {
  /** The folder holding ca.pem, cert.pem and key.pem: DOCKER_CERT_PATH, the docker config folder, or a context's TLS store. */
  dir: string;
  /** DOCKER_TLS_VERIFY (or a context with TLS material): all three files must be there, as the docker CLI requires. */
  required: boolean;
}

export interface EndpointOverrides {
  host?: string;
  context?: string;
}

const defaultHost = process.platform === 'win32' ? 'npipe:////./pipe/docker_engine' : 'unix:///var/run/docker.sock';

/** The port the docker CLI and dockerd use for TLS: an engine there is spoken to over TLS even without DOCKER_TLS_VERIFY. */
const tlsPort = '2376';

function isTcp(host: string): boolean {
  return host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://');
}

/**
 * TLS for a host named by a flag, DOCKER_HOST or the default: DOCKER_TLS_VERIFY / DOCKER_CERT_PATH, DOCKER_TLS or
 * the TLS port. Lanyard always verifies the engine's certificate, also where the docker CLI's DOCKER_TLS would not.
 */
function envTls(env: NodeJS.ProcessEnv, configDir: string, host: string): EngineTls | null {
  if (!isTcp(host)) return null;
  const dir = env.DOCKER_CERT_PATH || configDir;
  if (env.DOCKER_TLS_VERIFY) return { dir, required: true };
  if (env.DOCKER_TLS) return { dir, required: false };
  let port = '';
  try {
    port = new URL(host.replace(/^tcp:/, 'http:')).port;
  } catch {
    // a malformed host: connecting to it fails with its own message
  }
  return port === tlsPort || host.startsWith('https://') ? { dir, required: false } : null;
}

/** Resolve the engine endpoint the way the docker CLI does (flags, env, config.json, context store, default). */
export function resolveDockerEndpoint(env: NodeJS.ProcessEnv = process.env, overrides: EndpointOverrides = {}): DockerEndpoint {
  const configDir = env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
  const direct = (host: string, source: DockerEndpoint['source']): DockerEndpoint => ({
    id: source === 'default' ? 'context:default' : source,
    host,
    source,
    context: null,
    tls: envTls(env, configDir, host),
  });
  if (overrides.host) return direct(overrides.host, 'flag');
  if (overrides.context) return fromContext(configDir, overrides.context, 'flag');
  if (env.DOCKER_HOST) return direct(env.DOCKER_HOST, 'DOCKER_HOST');
  if (env.DOCKER_CONTEXT) return fromContext(configDir, env.DOCKER_CONTEXT, 'DOCKER_CONTEXT');
  const current = readCurrentContext(configDir);
  if (current) return fromContext(configDir, current, 'config.json');
  return direct(defaultHost, 'default');
}

/** Why a reachable endpoint is still unsafe, for the Docker view and Doctor; null when it is not. */
export function endpointWarning(endpoint: DockerEndpoint): string | null {
  if (!isTcp(endpoint.host) || endpoint.tls) return null;
  return `${endpoint.host} is plain TCP: the engine and everything sent to it (commands, environment, secrets) travel unencrypted and unauthenticated, and anyone who can reach that port controls the engine. Use TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem), or port 2376.`;
}

function fromContext(configDir: string, name: string, source: DockerEndpoint['source']): DockerEndpoint {
  const contextId = `context:${name}`;
  if (name === 'default') return { id: contextId, host: defaultHost, source, context: name, tls: null };
  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  } catch {
    throw new Error(
      `Docker context "${name}" (from ${source}) has no readable ${metaFile}. Run \`docker context ls\` to see the contexts that exist.`,
    );
  }
  const host = (meta as { Endpoints?: { docker?: { Host?: unknown } } }).Endpoints?.docker?.Host;
  if (typeof host !== 'string' || host === '') throw new Error(`Docker context "${name}" has no docker endpoint in ${metaFile}.`);
  // `docker context create --docker host=…,ca=…,cert=…,key=…` copies the TLS material into the context's store.
  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
  return { id: contextId, host, source, context: name, tls: isTcp(host) && existsSync(tlsDir) ? { dir: tlsDir, required: true } : null };
}

function readCurrentContext(configDir: string): string | null {
  try {
    const config = JSON.parse(readFileSync(path.join(configDir, 'config.json'), 'utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' && config.currentContext !== '' ? config.currentContext : null;
  } catch {
    return null;
  }
}

function configDirOf(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

/** The names of the contexts in the docker CLI's store, "default" first. */
function contextNames(configDir: string): string[] {
  const metaDir = path.join(configDir, 'contexts', 'meta');
  const names = ['default'];
  let ids: string[] = [];
  try {
    ids = readdirSync(metaDir);
  } catch {
    return names;
  }
  for (const id of ids) {
    try {
      const meta = JSON.parse(readFileSync(path.join(metaDir, id, 'meta.json'), 'utf8')) as { Name?: unknown };
      if (typeof meta.Name === 'string' && meta.Name !== 'default') names.push(meta.Name);
    } catch {
      // a half-written context: the docker CLI skips it too
    }
  }
  return names;
}

/** The contexts in the docker CLI's store, "default" first, with the host each points at. */
export function listContexts(env: NodeJS.ProcessEnv = process.env): { name: string; host: string }[] {
  return contextNames(configDirOf(env)).map((name) => {
    try {
      return { name, host: fromContext(configDirOf(env), name, 'context').host };
    } catch {
      return { name, host: '' };
    }
  });
}

/** Podman's Docker-compatible API sockets that exist: the user's (rootless) and the system's (rootful). */
export function podmanSockets(env: NodeJS.ProcessEnv = process.env): DockerEndpoint[] {
  if (process.platform === 'win32') return [];
  const runtime = env.XDG_RUNTIME_DIR || (process.getuid ? `/run/user/${process.getuid()}` : '');
  const found: DockerEndpoint[] = [];
  for (const [id, socket] of [
    ['podman:rootless', runtime ? path.join(runtime, 'podman', 'podman.sock') : ''],
    ['podman:rootful', '/run/podman/podman.sock'],
  ] as const) {
    if (socket && existsSync(socket) && !found.some((e) => e.host === `unix://${socket}`))
      found.push({ id, host: `unix://${socket}`, source: 'podman', context: null, tls: null });
  }
  return found;
}

/**
 * Every engine there is to switch to: the one the docker CLI would use (first), DOCKER_HOST, each context,
 * and Podman's sockets. A context that cannot be read is left out (the one in use says why when resolved).
 */
export function listEndpoints(env: NodeJS.ProcessEnv = process.env): DockerEndpoint[] {
  const configDir = configDirOf(env);
  const endpoints: DockerEndpoint[] = [];
  const add = (endpoint: DockerEndpoint) => {
    if (!endpoints.some((e) => e.id === endpoint.id)) endpoints.push(endpoint);
  };
  try {
    add(resolveDockerEndpoint(env));
  } catch {
    // a broken current context: the others are still offered
  }
  for (const name of contextNames(configDir)) {
    try {
      add(fromContext(configDir, name, 'context'));
    } catch {
      // unreadable: left out
    }
  }
  for (const podman of podmanSockets(env)) add(podman);
  return endpoints;
}

/** An endpoint by its id (as listEndpoints names them), or null when there is no longer such an engine. */
export function endpointById(env: NodeJS.ProcessEnv, id: string): DockerEndpoint | null {
  return listEndpoints(env).find((e) => e.id === id) ?? null;
}
