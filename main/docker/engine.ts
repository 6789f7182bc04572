// The Docker Engine API client: API version negotiated once from /_ping, every path prefixed /v1.NN/,
// engine failures turned into messages a user can act on.
import type http from 'node:http';
import { ServiceError } from '../contract/errors.ts';
import type { DockerEndpoint } from './endpoint.ts';
import { engineOpen, engineRequest, type EngineRequest, type EngineResponse } from './engine-http.ts';

/** The newest API version Lanyard was written against; older engines are spoken to in their own version. */
export const clientApiVersion = '1.45';

export type Query = Record<string, string | number | boolean | undefined>;

export interface Engine {
  readonly endpoint: DockerEndpoint;
  /** The negotiated version, e.g. "1.41" (pings the engine the first time). */
  apiVersion(): Promise<string>;
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
  for (const [key, value] of Object.entries(query)) if (value !== undefined) search.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/** A socket-level failure as a ServiceError naming the endpoint and the fix. */
export function unreachable(endpoint: DockerEndpoint, error: unknown): ServiceError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${endpoint.host}${endpoint.source === 'default' ? '' : ` (from ${endpoint.source}${endpoint.context ? ` context "${endpoint.context}"` : ''})`}`;
  if (code === 'EACCES' || code === 'EPERM')
    return new ServiceError('unavailable', `Permission denied on the Docker socket ${where}.`, { hint: 'Add yourself to the docker group (sudo usermod -aG docker $USER) and log in again, or use rootless Docker.' });
  if (code === 'ENOENT' || code === 'ECONNREFUSED')
    return new ServiceError('unavailable', `The Docker engine is not running at ${where}.`, {
      hint: 'Start it (sudo systemctl start docker, or open Docker Desktop), or point DOCKER_HOST / `docker context use` at a running engine.',
    });
  const detail = error instanceof Error ? error.message : String(error);
  return new ServiceError('unavailable', `The Docker engine at ${where} did not answer: ${detail}.`, { hint: 'Check that the engine is running and reachable from this machine.' });
}

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

export function connectEngine(endpoint: DockerEndpoint): Engine {
  let negotiated: Promise<string> | null = null;

  async function send(request: EngineRequest): Promise<EngineResponse> {
    try {
      return await engineRequest(endpoint.host, request);
    } catch (error) {
      negotiated = null;
      throw unreachable(endpoint, error);
    }
  }

  function apiVersion(): Promise<string> {
    negotiated ??= send({ path: '/_ping', timeoutMs: 3000 }).then((ping) => {
      if (ping.status !== 200) throw new ServiceError('unavailable', `The Docker engine at ${endpoint.host} answered /_ping with HTTP ${ping.status}.`);
      const server = String(ping.headers['api-version'] ?? '');
      // Engines older than 1.25 do not send Api-Version; 1.24 is what they all speak.
      if (!/^\d+\.\d+$/.test(server)) return '1.24';
      return compareVersions(server, clientApiVersion) < 0 ? server : clientApiVersion;
    });
    negotiated.catch(() => (negotiated = null));
    return negotiated;
  }

  return {
    endpoint,
    apiVersion,
    async json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<T> {
      const version = await apiVersion();
      const response = await send({ method, path: withQuery(`/v${version}${path}`, query), body, timeoutMs: method === 'GET' ? 5000 : 30_000 });
      if (response.status >= 400) throw engineError(response.status, response.body, `${method} ${path}`);
      return (response.body ? JSON.parse(response.body) : {}) as T;
    },
    async stream(path: string, query: Query, signal: AbortSignal): Promise<http.IncomingMessage> {
      const version = await apiVersion();
      let response: http.IncomingMessage;
      try {
        response = await engineOpen(endpoint.host, { path: withQuery(`/v${version}${path}`, query), signal });
      } catch (error) {
        if (signal.aborted) throw new ServiceError('cancelled', 'Cancelled.');
        throw unreachable(endpoint, error);
      }
      if ((response.statusCode ?? 0) >= 400) {
        const chunks: Buffer[] = [];
        for await (const chunk of response) chunks.push(chunk as Buffer);
        throw engineError(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), `GET ${path}`);
      }
      return response;
    },
  };
}
