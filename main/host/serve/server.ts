// `lanyard serve`: the built renderer over HTTP and the service host over a WebSocket, loopback by default.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { contentSecurityPolicy } from '../../system/content-security-policy.ts';
import { createHost } from '../host.ts';
import { createHandlerTable } from '../services.ts';
import { appProtocol, checkRequest, checkUpgrade } from './guard.ts';
import { resolveStatic, sendFile } from './static-files.ts';
import { DropCounter, wsChannel, wsLimits } from './ws-channel.ts';

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
  /** Open WebSockets and what was dropped, by reason (for tests and diagnostics). */
  stats(): { connections: number; dropped: Record<string, number> };
  /** Settles when the first page holding the token has connected (`lanyard app` waits on it to know its window works). */
  connected: Promise<void>;
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

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token ?? randomBytes(24).toString('base64url');
  const table = createHandlerTable({ transport: 'websocket', ...(options.env ? { env: options.env } : {}) });
  const dropped = new DropCounter(log);
  const host = createHost(table, log, { dropped: (reason) => dropped.add('malformed', reason) });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: wsLimits.maxMessageBytes,
    // Answer with the app's protocol, never echoing the token the page offered beside it.
    handleProtocols: (protocols) => (protocols.has(appProtocol) ? appProtocol : false),
  });
  let port = options.port;
  let markConnected = () => {};
  const connected = new Promise<void>((resolve) => (markConnected = resolve));

  const server = http.createServer((request, response) => {
    const refuse = (status: number, reason: string) => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders() });
      response.end(`${reason}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Only GET is served here.');
    const verdict = checkRequest(request, port, { requireOrigin: false });
    if (!verdict.ok) return refuse(verdict.status, verdict.reason);
    // Static files only, and never a redirect: nothing here may send the browser elsewhere.
    const file = resolveStatic(options.rendererDir, new URL(request.url ?? '/', 'http://placeholder').pathname);
    if (!file) return refuse(404, 'Not found.');
    sendFile(response, file, securityHeaders());
  });

  server.on('upgrade', (request, socket, head) => {
    const refuse = (status: number, reason: string) =>
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`);
    const verdict = checkUpgrade(request, port, token);
    if (!verdict.ok) return refuse(verdict.status, verdict.reason);
    if (new URL(request.url ?? '/', 'http://placeholder').pathname !== socketPath) return refuse(404, 'Not found.');
    if (wss.clients.size >= wsLimits.maxConnections) {
      dropped.add('too-many-connections', `${wss.clients.size} open`);
      return refuse(503, `Too many open connections (${wsLimits.maxConnections}); close another Lanyard tab.`);
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      host.connect(wsChannel(ws, dropped));
      markConnected();
    });
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
    // The token rides in the fragment: browsers never send it, and the page moves it out of the address bar.
    url: `http://${shownHost}:${port}/#token=${token}`,
    port,
    token,
    stats: () => ({ connections: wss.clients.size, dropped: dropped.snapshot() }),
    connected,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, host.close()]);
    },
  };
}
