// `lanyard serve`'s HTTP + WebSocket transport: token, Origin and Host checks, static files, a real round trip.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApi } from '../../../main/contract/api.ts';
import { createClient } from '../../../main/contract/client.ts';
import type { Channel, ClientMessage, HostMessage } from '../../../main/contract/wire.ts';
import { socketPath, startServer, type RunningServer } from '../../../main/host/serve/server.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import path from 'node:path';

let server: RunningServer;
let origin: string;

beforeAll(async () => {
  server = await startServer({ host: '127.0.0.1', port: 0, rendererDir: path.join(outDir, 'renderer'), env: { ...process.env, LANYARD_HOME: tempDir() }, log: () => {} });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: server.port, path: pathname, headers: { Host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

const cookie = () => `lanyard_token_${server.port}=${server.token}`;

/** Try a WebSocket upgrade; resolve 'open' or the refusal status. */
function upgrade(headers: Record<string, string>, pathname = socketPath): Promise<{ result: 'open'; socket: WebSocket } | { result: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${pathname}`, { headers });
    socket.on('open', () => resolve({ result: 'open', socket }));
    socket.on('unexpected-response', (_req, res) => resolve({ result: res.statusCode ?? 0 }));
    socket.on('error', () => {});
  });
}

describe('lanyard serve over HTTP', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{32}$`));
  });

  it('refuses a request without the token', async () => {
    const res = await get('/');
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/token/);
  });

  it('trades the token in the URL for an HttpOnly cookie and drops it from the address', async () => {
    const res = await get(`/?token=${server.token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers['set-cookie']?.[0]).toMatch(new RegExp(`^lanyard_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict`));
  });

  it('serves the app with a strict CSP to the cookie holder', async () => {
    const res = await get('/', { Cookie: cookie() });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'.*script-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const res = await get(`/?token=${server.token}`, { Host: `evil.example:${server.port}` });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/DNS rebinding/);
  });

  it('refuses a foreign Origin even with the token', async () => {
    expect((await get('/', { Cookie: cookie(), Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('does not serve files outside the renderer', async () => {
    expect((await get('/../../package.json', { Cookie: cookie() })).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/package.json', { Cookie: cookie() })).status).toBe(404);
  });
});

describe('lanyard serve over WebSocket', () => {
  it('refuses an upgrade without the token', async () => {
    expect(await upgrade({ Origin: origin })).toEqual({ result: 403 });
  });

  it('refuses an upgrade from a foreign Origin, or with none', async () => {
    expect(await upgrade({ Origin: 'http://evil.example', Cookie: cookie() })).toEqual({ result: 403 });
    expect(await upgrade({ Cookie: cookie() })).toEqual({ result: 403 });
  });

  it('refuses a foreign Host header', async () => {
    expect(await upgrade({ Origin: `http://evil.example:${server.port}`, Host: `evil.example:${server.port}`, Cookie: cookie() })).toEqual({ result: 403 });
  });

  it('carries the contract for the token holder on our origin', async () => {
    const opened = await upgrade({ Origin: origin, Cookie: cookie() });
    if (opened.result !== 'open') throw new Error(`refused with ${opened.result}`);
    const socket = opened.socket;
    const channel: Channel<HostMessage, ClientMessage> = {
      send: (m) => socket.send(JSON.stringify(m)),
      onMessage: (l) => void socket.on('message', (d) => l(JSON.parse(String(d)) as HostMessage)),
      onClose: (l) => void socket.on('close', l),
    };
    const api = buildApi(createClient(channel));
    expect(await api.app.info({})).toMatchObject({ transport: 'websocket' });
    await expect(api.doctor.report({ only: 7 } as never)).rejects.toMatchObject({ code: 'invalid-argument', field: 'params.only' });
    socket.send('this is not json');
    expect((await api.app.info({})).name).toBe('Lanyard');
    socket.close();
  });
});
