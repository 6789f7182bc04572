// The Docker Engine API client: API version negotiated once from /_ping, every path prefixed /v1.NN/,
// engine failures turned into messages a user can act on.
import type http from 'node:http';
import { z } from 'zod';
import { ServiceError } from '../contract/errors.ts';
import type { ShellDialect } from '../system/shell-quote.ts';
import type { DockerEndpoint } from './endpoint.ts';
import {
  EngineAnswerTooLarge,
  engineOpen,
  TlsFilesUnreadable,
  engineRequest,
  readBody,
  type EngineRequest,
  type EngineResponse,
  type EngineTarget,
} from './engine-http.ts';
import { SshDialError, sshDialer, type SshDialer } from './ssh-dial.ts';

/** The newest API version Lanyard was written against; older engines are spoken to in their own version. */
export const clientApiVersion = '1.45';

export type Query = Record<string, string | number | boolean | undefined>;

/** Docker's engine, or Podman's Docker-compatible API (its /_ping sends Libpod-Api-Version). */
export type EngineFlavour = 'docker' | 'podman';

/** What /_ping told: the API version to speak, the engine's flavour and, for Podman, its own (libpod) API version. */
export interface Negotiated {
  apiVersion: string;
  flavour: EngineFlavour;
  libpodVersion: string | null;
}

export interface Engine {
  readonly endpoint: DockerEndpoint;
  /** The negotiated version, e.g. "1.41" (pings the engine the first time). */
  apiVersion(): Promise<string>;
  /** What the ping told (pings the engine the first time). */
  negotiated(): Promise<Negotiated>;
  /** The flavour once a ping has answered; null before. */
  knownFlavour(): EngineFlavour | null;
  /** Podman's own API (`/v4.x/libpod/…`): a GET of JSON; only on a Podman engine. */
  libpod<T>(path: string, query?: Query): Promise<T>;
  /** Close pooled connections (ssh processes). */
  dispose(): void;
  /** ssh processes started for this engine (0 unless ssh://). */
  sshStarted(): number;
  /** The engine answers /_ping with OK and /version as an engine does (its version, the newest API it speaks); else throws why. */
  probe(): Promise<{ apiVersion: string; engineVersion: string; engineApiVersion: string }>;
  json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<T>;
  /** A streaming GET (events, logs); the response is the caller's to read and destroy. */
  stream(path: string, query: Query, signal: AbortSignal): Promise<http.IncomingMessage>;
}

export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

function withQuery(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined) search.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** Node's codes for an engine certificate that no CA Lanyard was given has signed. */
const untrustedEngine = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
]);

/**
 * A TLS handshake that failed on the certificates, said as what to change: Node's own words name OpenSSL's source
 * files or suggest `node --use-system-ca`, and "check that the engine is running" sends the user the wrong way.
 */
function tlsProblem(endpoint: DockerEndpoint, error: unknown): ServiceError | null {
  const folder = endpoint.tls?.dir ?? 'DOCKER_CERT_PATH';
  const setFolder =
    "Point DOCKER_CERT_PATH (or the context's TLS material) at the folder holding ca.pem, cert.pem and key.pem for this engine.";
  if (error instanceof TlsFilesUnreadable) return new ServiceError('unavailable', `${error.message}.`, { hint: setFolder });
  const code = String((error as NodeJS.ErrnoException).code ?? '');
  if (untrustedEngine.has(code))
    return new ServiceError(
      'unavailable',
      `The engine at ${endpoint.host} showed a certificate that ${folder}/ca.pem did not sign (${code}): it is not the engine those certificates are for, or ca.pem is not its CA.`,
      { hint: setFolder },
    );
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return new ServiceError('unavailable', `The engine at ${endpoint.host} showed a certificate outside its validity dates (${code}).`, {
      hint: "Renew the engine's certificate (or check this machine's clock).",
    });
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new ServiceError(
      'unavailable',
      `The engine's certificate does not name the host in ${endpoint.host}: ${(error as Error).message}.`,
      {
        hint: 'Use a host name the certificate lists, or renew the certificate with this name.',
      },
    );
  // The engine's TLS alert: it refused the client certificate (bad, unknown CA, none sent).
  if (code.startsWith('ERR_SSL_') && code.includes('ALERT'))
    return new ServiceError(
      'unavailable',
      `The engine at ${endpoint.host} refused this client's certificate (${folder}/cert.pem; TLS alert ${code.replace(/^ERR_SSL_/, '')}).`,
      {
        hint: "Use a client certificate signed by the CA the engine trusts (its --tlscacert), in DOCKER_CERT_PATH's cert.pem and key.pem.",
      },
    );
  return null;
}

/** A socket-level failure as a ServiceError naming the endpoint and the fix. */
export function unreachable(endpoint: DockerEndpoint, error: unknown): ServiceError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${endpoint.host}${endpoint.source === 'default' ? '' : ` (from ${endpoint.source}${endpoint.context ? ` context "${endpoint.context}"` : ''})`}`;
  if (code === 'EACCES' || code === 'EPERM')
    return new ServiceError('unavailable', `Permission denied on the Docker socket ${where}.`, {
      hint: 'Add yourself to the docker group (sudo usermod -aG docker $USER) and log in again, or use rootless Docker.',
    });
  if (code === 'ENOENT' || code === 'ECONNREFUSED')
    return new ServiceError('unavailable', `The Docker engine is not running at ${where}.`, {
      hint: 'Start it (sudo systemctl start docker, or open Docker Desktop), or point DOCKER_HOST / `docker context use` at a running engine.',
    });
  if (error instanceof SshDialError) return new ServiceError('unavailable', error.message, { hint: error.hint });
  const tls = tlsProblem(endpoint, error);
  if (tls) return tls;
  const detail = error instanceof Error ? error.message : String(error);
  return new ServiceError('unavailable', `The Docker engine at ${where} did not answer: ${detail}.`, {
    hint: 'Check that the engine is running and reachable from this machine.',
  });
}

/** Up to `max` characters of what an engine (or something posing as one) said, with control characters shown as "·": safe in a message printed to a terminal. */
export function quoted(text: string, max: number): string {
  return text.slice(0, max).replace(/[\u0000-\u001f\u007f-\u009f]/g, '·');
}

/** Engine API JSON checked against the shape Lanyard reads from it: a clear error, never a TypeError later. */
export function engineShape<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ServiceError(
    'failed',
    `The Docker engine's answer to ${what} is not what the Engine API documents (${issue ? `${issue.path.map(String).join('.') || 'the body'}: ${issue.message}` : 'wrong shape'}).`,
  );
}

/** Not an engine: the likely cause when a TLS engine is spoken to in plain HTTP, or the port is something else. */
function notAnEngine(endpoint: DockerEndpoint, what: string, status: number, body: string, lacking = ''): ServiceError {
  const said = quoted(body.trim(), 120);
  return new ServiceError(
    'unavailable',
    `${endpoint.host} answered ${what} with HTTP ${status}${said ? ` "${said}"` : ''}${lacking ? ` ${lacking}` : ''}, not as a Docker engine does.`,
    {
      hint: endpoint.tls
        ? 'Check that the host and port are the Docker engine’s.'
        : 'If this engine speaks TLS, set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (or use port 2376); otherwise check the host and port.',
    },
  );
}

/** What every engine's /version holds (the Engine API's SystemVersion): a proxy or web server does not. */
const versionSchema = z.object({ Version: z.string().min(1), ApiVersion: z.string().min(1) });

/** An engine error answer ({"message": …}) as a ServiceError with the engine's own words. */
function engineError(status: number, body: string, what: string): ServiceError {
  let message = body.trim();
  try {
    message = String((JSON.parse(body) as { message?: unknown }).message ?? message);
  } catch {
    // not JSON: keep the text
  }
  const code = status === 404 ? 'not-found' : status === 400 ? 'invalid-argument' : 'failed';
  return new ServiceError(code, `Docker engine: ${message || `HTTP ${status}`} (${what}).`);
}

export interface ConnectOptions {
  /** The environment ssh runs with (PATH, SSH_AUTH_SOCK, HOME). */
  env?: NodeJS.ProcessEnv;
  /** The shell commands in messages are written for. */
  dialect?: ShellDialect;
  /** ssh://: keep connections open for the next request (default) or one ssh per request. */
  pool?: boolean;
}

export function connectEngine(endpoint: DockerEndpoint, options: ConnectOptions = {}): Engine {
  let negotiated: Promise<Negotiated> | null = null;
  let flavour: EngineFlavour | null = null;
  let ssh: SshDialer | null = null;
  let target: EngineTarget = endpoint;
  /** A malformed ssh:// address: every request fails with its message. */
  let addressProblem: ServiceError | null = null;
  if (endpoint.host.startsWith('ssh://')) {
    try {
      ssh = sshDialer(endpoint.host, options.env ?? process.env, {
        ...(options.dialect ? { dialect: options.dialect } : {}),
        ...(options.pool === undefined ? {} : { pool: options.pool }),
      });
      target = { ...endpoint, agent: ssh.agent };
    } catch (error) {
      addressProblem = new ServiceError('unavailable', (error as Error).message, { hint: 'Fix the address (DOCKER_HOST or the context).' });
    }
  }

  async function send(request: EngineRequest): Promise<EngineResponse> {
    if (addressProblem) throw addressProblem;
    try {
      return await engineRequest(target, request);
    } catch (error) {
      negotiated = null;
      if (error instanceof EngineAnswerTooLarge) throw new ServiceError('failed', error.message);
      throw unreachable(endpoint, error);
    }
  }

  // ssh starts a process and logs in, and Podman's service sets up its runtime on a first request: both may
  // take seconds on a busy machine where a local dockerd answers in milliseconds.
  const probeTimeoutMs = ssh ? 15_000 : endpoint.source === 'podman' ? 10_000 : 3000;

  function negotiate(): Promise<Negotiated> {
    negotiated ??= send({ path: '/_ping', timeoutMs: probeTimeoutMs }).then((ping) => {
      if (ping.status !== 200 || ping.body.trim() !== 'OK') throw notAnEngine(endpoint, '/_ping', ping.status, ping.body);
      // Every engine since API 1.25 (Docker 1.13, Podman) names its API version on /_ping: an "OK" without it is
      // a health check of something else.
      const server = String(ping.headers['api-version'] ?? '');
      if (!/^\d+\.\d+$/.test(server)) throw notAnEngine(endpoint, '/_ping', ping.status, ping.body, 'without an Api-Version header');
      const libpod = String(ping.headers['libpod-api-version'] ?? '');
      flavour = /^\d+\.\d+(\.\d+)?$/.test(libpod) ? 'podman' : 'docker';
      const apiVersion = compareVersions(server, clientApiVersion) < 0 ? server : clientApiVersion;
      return { apiVersion, flavour, libpodVersion: flavour === 'podman' ? libpod : null };
    });
    negotiated.catch(() => (negotiated = null));
    return negotiated;
  }
  const apiVersion = async () => (await negotiate()).apiVersion;

  async function json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<T> {
    return request<T>(method, `/v${await apiVersion()}${path}`, path, query, body);
  }

  async function request<T>(method: 'GET' | 'POST' | 'DELETE', fullPath: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const response = await send({
      method,
      path: withQuery(fullPath, query),
      body,
      timeoutMs: method === 'GET' ? Math.max(5000, probeTimeoutMs) : 30_000,
    });
    if (response.status >= 400) throw engineError(response.status, response.body, `${method} ${path}`);
    if (!response.body) return {} as T;
    try {
      return JSON.parse(response.body) as T;
    } catch {
      throw new ServiceError(
        'failed',
        `The Docker engine's answer to ${method} ${path} is not JSON (${response.body.length} bytes starting "${quoted(response.body, 40)}").`,
      );
    }
  }

  return {
    endpoint,
    apiVersion,
    negotiated: negotiate,
    knownFlavour: () => flavour,
    async libpod<T>(path: string, query?: Query): Promise<T> {
      const { libpodVersion } = await negotiate();
      if (!libpodVersion)
        throw new ServiceError('invalid-argument', `${endpoint.host} is not a Podman engine; ${path} is Podman's own API.`);
      return request<T>('GET', `/v${libpodVersion}/libpod${path}`, path, query);
    },
    dispose: () => ssh?.agent.destroy(),
    sshStarted: () => ssh?.started() ?? 0,
    async probe() {
      const version = await send({ path: `/v${await apiVersion()}/version`, timeoutMs: probeTimeoutMs });
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(version.body);
      } catch {
        // judged below: not an engine's answer
      }
      const shape = versionSchema.safeParse(parsed);
      if (version.status !== 200 || !shape.success) throw notAnEngine(endpoint, '/version', version.status, version.body);
      return { apiVersion: await apiVersion(), engineVersion: shape.data.Version, engineApiVersion: shape.data.ApiVersion };
    },
    json,
    async stream(path: string, query: Query, signal: AbortSignal): Promise<http.IncomingMessage> {
      if (addressProblem) throw addressProblem;
      const version = await apiVersion();
      let response: http.IncomingMessage;
      try {
        response = await engineOpen(target, {
          path: withQuery(`/v${version}${path}`, query),
          signal,
          timeoutMs: Math.max(5000, probeTimeoutMs),
        });
      } catch (error) {
        if (signal.aborted) throw new ServiceError('cancelled', 'Cancelled.');
        throw unreachable(endpoint, error);
      }
      if ((response.statusCode ?? 0) >= 400) {
        let body: string;
        try {
          body = await readBody(response, `GET ${path}`);
        } catch (error) {
          throw error instanceof EngineAnswerTooLarge ? new ServiceError('failed', error.message) : unreachable(endpoint, error);
        }
        throw engineError(response.statusCode ?? 0, body, `GET ${path}`);
      }
      return response;
    },
  };
}
