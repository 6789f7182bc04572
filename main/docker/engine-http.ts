// HTTP to the Docker engine: a unix socket, a Windows pipe, or tcp:// (over TLS with the docker CLI's client
// certificate when the endpoint asks for it; a TLS endpoint is never sent a plaintext request). Answers are bounded.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import path from 'node:path';
import type { DockerEndpoint, EngineTls } from './endpoint.ts';

/** The largest Engine API body read whole (a listing of thousands of containers is a few MB). */
export const engineBodyCap = 32 * 1024 * 1024;

export interface EngineResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface EngineRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Path and query, e.g. `/v1.41/containers/json?all=1`. */
  path: string;
  body?: unknown;
  /** No answer (headers) within this long fails the request. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Where the engine is and how to speak to it: the host URL, for tcp:// its TLS, for ssh:// the agent whose connections are ssh processes. */
export type EngineTarget = Pick<DockerEndpoint, 'host' | 'tls'> & { agent?: http.Agent | undefined };

/** An answer larger than a cap: refused whole, never truncated into something that parses. */
export class EngineAnswerTooLarge extends Error {}

/** DOCKER_TLS_VERIFY (or a context) asks for TLS and a file of its material is not there: said before anything is sent. */
export class TlsFilesUnreadable extends Error {}

export const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** The CA, client certificate and key the docker CLI would use; with DOCKER_TLS_VERIFY all three must be there. */
function tlsFiles(tls: EngineTls): Pick<https.RequestOptions, 'ca' | 'cert' | 'key'> {
  const files: Pick<https.RequestOptions, 'ca' | 'cert' | 'key'> = {};
  for (const [option, name] of [
    ['ca', 'ca.pem'],
    ['cert', 'cert.pem'],
    ['key', 'key.pem'],
  ] as const) {
    const file = path.join(tls.dir, name);
    try {
      files[option] = readFileSync(file);
    } catch (error) {
      if (tls.required)
        throw new TlsFilesUnreadable(
          `TLS is required for this engine (DOCKER_TLS_VERIFY or the context) but ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        );
      // Only the TLS port asked for TLS: what is missing falls back to the system CAs / no client certificate.
    }
  }
  return files;
}

/** Request options that reach the engine, and the module that speaks its protocol. */
export function connectOptions(target: EngineTarget): { transport: typeof http | typeof https; options: https.RequestOptions } {
  const { host } = target;
  if (host.startsWith('unix://')) return { transport: http, options: { socketPath: host.slice('unix://'.length) } };
  if (host.startsWith('ssh://')) {
    if (!target.agent) throw new Error(`${host}: an ssh:// engine is reached through its ssh connection (connectEngine makes it).`);
    return { transport: http, options: { agent: target.agent } };
  }
  if (host.startsWith('npipe://')) return { transport: http, options: { socketPath: host.slice('npipe://'.length).replaceAll('/', '\\') } };
  if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!target.tls) return { transport: http, options: { host: hostname, port: Number(url.port || 2375) } };
    // Verification always on: the engine's certificate must name the host (SNI only for names, not addresses).
    const options: https.RequestOptions = {
      host: hostname,
      port: Number(url.port || 2376),
      rejectUnauthorized: true,
      ...tlsFiles(target.tls),
      servername: isIP(hostname) ? '' : hostname,
    };
    return { transport: https, options };
  }
  throw new Error(`Unsupported Docker host "${host}": Lanyard speaks unix://, tcp://, ssh:// and npipe:// endpoints.`);
}

/** Open a request and hand back the response as a stream (for /events, logs); the caller reads or destroys it. */
export function engineOpen(target: EngineTarget, request: EngineRequest): Promise<http.IncomingMessage> {
  const timeoutMs = request.timeoutMs ?? 5000;
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    let connect;
    try {
      connect = connectOptions(target);
    } catch (error) {
      reject(error as Error);
      return;
    }
    // On a socket or ssh, the docker CLI's Host; over TCP, Node's own (host:port), which TLS must not be checked against instead.
    const headers: http.OutgoingHttpHeaders = connect.options.socketPath || connect.options.agent ? { Host: 'docker' } : {};
    if (payload !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
    const outgoing = connect.transport.request(
      {
        ...connect.options,
        path: request.path,
        method: request.method ?? 'GET',
        headers,
        ...(request.signal ? { signal: request.signal } : {}),
      },
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
    );
    // Only the wait for the answer is bounded: a followed stream may then stay open for hours.
    const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(payload);
  });
}

/** A response's whole body, refused (and the connection dropped) once it passes `cap` bytes. */
export async function readBody(response: http.IncomingMessage, what: string, cap = engineBodyCap): Promise<string> {
  const tooLarge = () => {
    response.destroy();
    return new EngineAnswerTooLarge(
      `The Docker engine's answer to ${what} is larger than ${megabytes(cap)}, the most Lanyard reads of one Engine API answer; refused.`,
    );
  };
  if (Number(response.headers['content-length'] ?? 0) > cap) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > cap) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** One request to the Engine API, its whole body read (up to `cap`), with a hard timeout. */
export async function engineRequest(target: EngineTarget, request: EngineRequest, cap = engineBodyCap): Promise<EngineResponse> {
  const response = await engineOpen(target, request);
  const body = await readBody(response, `${request.method ?? 'GET'} ${request.path}`, cap);
  return { status: response.statusCode ?? 0, headers: response.headers, body };
}
