import http from 'node:http';

export interface EngineResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
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

/** One small GET to the Engine API with a hard timeout. */
export function engineGet(host: string, apiPath: string, timeoutMs = 2000): Promise<EngineResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request({ ...connectOptions(host), path: apiPath, method: 'GET', headers: { Host: 'docker' }, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end();
  });
}
