import http from 'node:http';

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

/** Request options that reach the engine at a docker-style host URL. */
export function connectOptions(host: string): http.RequestOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length).replaceAll('/', '\\') };
  if (host.startsWith('tcp://') || host.startsWith('http://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  throw new Error(`Unsupported Docker host "${host}": Lanyard speaks unix://, tcp:// and npipe:// endpoints.`);
}

/** Open a request and hand back the response as a stream (for /events, logs); the caller reads or destroys it. */
export function engineOpen(host: string, request: EngineRequest): Promise<http.IncomingMessage> {
  const timeoutMs = request.timeoutMs ?? 5000;
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { Host: 'docker' };
    if (payload !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
    const outgoing = http.request({ ...connectOptions(host), path: request.path, method: request.method ?? 'GET', headers, ...(request.signal ? { signal: request.signal } : {}) }, (response) => {
      clearTimeout(timer);
      resolve(response);
    });
    // Only the wait for the answer is bounded: a followed stream may then stay open for hours.
    const timer = setTimeout(() => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(payload);
  });
}

/** One request to the Engine API, its whole body read, with a hard timeout. */
export async function engineRequest(host: string, request: EngineRequest): Promise<EngineResponse> {
  const response = await engineOpen(host, request);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') };
}

/** One small GET to the Engine API with a hard timeout. */
export function engineGet(host: string, apiPath: string, timeoutMs = 2000): Promise<EngineResponse> {
  return engineRequest(host, { path: apiPath, timeoutMs });
}
