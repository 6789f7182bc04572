// `lanyard serve`: the built renderer over HTTP and the service host over a WebSocket, loopback by default.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Channel, ClientMessage, HostMessage } from '../../contract/wire.ts';
import { contentSecurityPolicy } from '../../system/content-security-policy.ts';
import { createHost } from '../host.ts';
import { createHandlerTable } from '../services.ts';
import { checkRequest, tokenCookieName } from './guard.ts';
import { resolveStatic, sendFile } from './static-files.ts';

export interface ServeOptions {
  host: string;
  port: number;
  rendererDir: string;
  token?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const socketPath = '/lanyard-ws';

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function wsChannel(socket: WebSocket, log: (line: string) => void): Channel<ClientMessage, HostMessage> {
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage: (listener) =>
      void socket.on('message', (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(data));
        } catch {
          log('lanyard serve: dropped a message that is not JSON');
          return;
        }
        listener(parsed as ClientMessage);
      }),
    onClose: (listener) => void socket.on('close', listener),
  };
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token ?? randomBytes(24).toString('base64url');
  const table = createHandlerTable({ transport: 'websocket', ...(options.env ? { env: options.env } : {}) });
  const host = createHost(table, log);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  let port = options.port;

  const server = http.createServer((request, response) => {
    const refuse = (status: number, reason: string) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() });
      response.end(`${reason}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Only GET is served here.');
    const verdict = checkRequest(request, port, token, { requireOrigin: false });
    if (!verdict.ok) return refuse(verdict.status, verdict.reason);
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (verdict.viaQuery) {
      // Trade the token in the URL for a cookie, then drop it from the address bar and history.
      url.searchParams.delete('token');
      response.writeHead(303, {
        ...securityHeaders(),
        'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      });
      return response.end();
    }
    const file = resolveStatic(options.rendererDir, url.pathname);
    if (!file) return refuse(404, 'Not found.');
    sendFile(response, file, securityHeaders());
  });

  server.on('upgrade', (request, socket, head) => {
    const verdict = checkRequest(request, port, token, { requireOrigin: true });
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (!verdict.ok || url.pathname !== socketPath) {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${verdict.ok ? 'Not found.' : verdict.reason}\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => host.connect(wsChannel(ws, log)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // Listening: load the services in the background so the browser's first requests do not wait for them.
  setTimeout(() => void table.warm?.(), 0);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, host.close()]);
    },
  };
}
