// `lanyard serve`'s HTTP + WebSocket transport: token, Origin and Host checks, static files, a real round trip, bounds.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApi } from '../../../main/contract/api.ts';
import { createClient } from '../../../main/contract/client.ts';
import type { Channel, ClientMessage, HostMessage } from '../../../main/contract/wire.ts';
import { maxInFlightPerConnection } from '../../../main/host/host.ts';
import { socketPath, startServer, type RunningServer } from '../../../main/host/serve/server.ts';
import { wsLimits } from '../../../main/host/serve/ws-channel.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import path from 'node:path';

let server: RunningServer;
let origin: string;

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    rendererDir: path.join(outDir, 'renderer'),
    env: { ...process.env, LANYARD_HOME: tempDir() },
    log: () => {},
  });
  origin = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

function get(
  pathname: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
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

const protocols = (token = server.token) => ['lanyard.v1', `lanyard.token.${token}`];

/** Try a WebSocket upgrade; resolve 'open' or the refusal status. */
function upgrade(
  headers: Record<string, string>,
  offered: string[] = protocols(),
  pathname = socketPath,
): Promise<{ result: 'open'; socket: WebSocket } | { result: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}${pathname}`, offered, { headers });
    socket.on('open', () => resolve({ result: 'open', socket }));
    socket.on('unexpected-response', (_req, res) => resolve({ result: res.statusCode ?? 0 }));
    socket.on('error', () => {});
  });
}

async function opened(): Promise<WebSocket> {
  const result = await upgrade({ Origin: origin });
  if (result.result !== 'open') throw new Error(`refused with ${result.result}`);
  return result.socket;
}

function apiOver(socket: WebSocket) {
  const channel: Channel<HostMessage, ClientMessage> = {
    send: (m) => socket.send(JSON.stringify(m)),
    onMessage: (l) => void socket.on('message', (d) => l(JSON.parse(String(d)) as HostMessage)),
    onClose: (l) => void socket.on('close', l),
  };
  return buildApi(createClient(channel));
}

describe('lanyard serve over HTTP', () => {
  it('prints a loopback URL with a long random token in the fragment, which browsers never send', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#token=[\\w-]{32}$`));
  });

  it('serves the app (public code, no credential) with a strict CSP, and never sets a cookie', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<div id="root">');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'.*script-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await get(`/?token=${server.token}`)).headers['set-cookie']).toBeUndefined();
  });

  it('never redirects, so no path reads as a scheme-relative Location (issue 11 row 16)', async () => {
    for (const pathname of [
      `/.//evil.com/?token=${server.token}`,
      '//evil.com/',
      '/\\evil.com/',
      `/%2F%2Fevil.com/?token=${server.token}`,
      '/./\\/evil.com',
    ]) {
      const res = await get(pathname);
      expect([200, 404], pathname).toContain(res.status);
      expect(res.headers.location, pathname).toBeUndefined();
    }
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await get('/', { Host: `evil.example:${server.port}` });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/DNS rebinding/);
  });

  it('refuses a foreign Origin', async () => {
    expect((await get('/', { Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('does not serve files outside the renderer', async () => {
    expect((await get('/../../package.json')).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/package.json')).status).toBe(404);
  });
});

describe('lanyard serve over WebSocket', () => {
  it('refuses an upgrade without the token, with a wrong one, or with one of the wrong length', async () => {
    expect(await upgrade({ Origin: origin }, ['lanyard.v1'])).toEqual({ result: 403 });
    expect(await upgrade({ Origin: origin }, protocols(`${server.token.slice(0, -1)}A`))).toEqual({ result: 403 });
    expect(await upgrade({ Origin: origin }, protocols(server.token.slice(0, -1)))).toEqual({ result: 403 });
    // The old cookie grants nothing any more.
    expect(await upgrade({ Origin: origin, Cookie: `lanyard_token_${server.port}=${server.token}` }, ['lanyard.v1'])).toEqual({
      result: 403,
    });
  });

  it('refuses an upgrade from a foreign Origin, or with none', async () => {
    expect(await upgrade({ Origin: 'http://evil.example' })).toEqual({ result: 403 });
    expect(await upgrade({})).toEqual({ result: 403 });
  });

  it('refuses a foreign Host header', async () => {
    expect(await upgrade({ Origin: `http://evil.example:${server.port}`, Host: `evil.example:${server.port}` })).toEqual({ result: 403 });
  });

  it('answers with the app protocol, never echoing the token', async () => {
    const socket = await opened();
    expect(socket.protocol).toBe('lanyard.v1');
    socket.close();
  });

  it('carries the contract for the token holder on our origin; malformed messages are dropped and counted', async () => {
    const socket = await opened();
    const api = apiOver(socket);
    expect(await api.app.info({})).toMatchObject({ transport: 'websocket' });
    await expect(api.doctor.report({ only: 7 } as never)).rejects.toMatchObject({ code: 'invalid-argument', field: 'params.only' });
    const before = server.stats().dropped;
    socket.send('this is not json');
    socket.send(Buffer.from([1, 2, 3]), { binary: true });
    socket.send(JSON.stringify({ t: 'req', id: 'x' }));
    expect((await api.app.info({})).name).toBe('Lanyard');
    const after = server.stats().dropped;
    expect(after['not-json']).toBe((before['not-json'] ?? 0) + 1);
    expect(after.binary).toBe((before.binary ?? 0) + 1);
    expect(after.malformed).toBe((before.malformed ?? 0) + 1);
    socket.close();
  });
});

describe('lanyard serve bounds', () => {
  const closedWith = (socket: WebSocket) => new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

  it(`closes a connection that sends a message over ${wsLimits.maxMessageBytes} bytes, and keeps serving`, async () => {
    const socket = await opened();
    const closed = closedWith(socket);
    socket.send(Buffer.alloc(wsLimits.maxMessageBytes + 1, 0x20).toString());
    expect(await closed).toBe(1009);
    const again = await opened();
    expect((await apiOver(again).app.info({})).name).toBe('Lanyard');
    again.close();
  });

  it('closes a connection that sends a broken frame (invalid UTF-8 text), counts it, and keeps serving', async () => {
    const socket = await opened();
    const closed = closedWith(socket);
    const before = server.stats().dropped['bad-frame'] ?? 0;
    socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    expect(server.stats().dropped['bad-frame']).toBe(before + 1);
    const again = await opened();
    expect((await apiOver(again).app.info({})).name).toBe('Lanyard');
    again.close();
  });

  it(`closes a connection past ${wsLimits.burstMessages} messages at once (policy violation)`, async () => {
    const socket = await opened();
    const closed = closedWith(socket);
    const unsub = JSON.stringify({ t: 'unsub', id: 1 });
    for (let i = 0; i < wsLimits.burstMessages + 200; i++) socket.send(unsub);
    expect(await closed).toBe(1008);
    expect(server.stats().dropped.rate).toBeGreaterThan(0);
  });

  it(`refuses more than ${wsLimits.maxConnections} open connections`, async () => {
    const sockets: WebSocket[] = [];
    while (server.stats().connections < wsLimits.maxConnections) sockets.push(await opened());
    expect(await upgrade({ Origin: origin })).toEqual({ result: 503 });
    const closing = sockets.map((socket) => closedWith(socket));
    for (const socket of sockets) socket.close();
    await Promise.all(closing);
    await expect.poll(() => server.stats().connections).toBe(0);
    (await opened()).close();
  });

  it(`refuses a request past ${maxInFlightPerConnection} in flight on one connection, and a duplicate stream id`, async () => {
    const socket = await opened();
    const replies: HostMessage[] = [];
    socket.on('message', (d) => replies.push(JSON.parse(String(d)) as HostMessage));
    // Streams that stay open until unsubscribed hold their slot.
    for (let id = 1; id <= maxInFlightPerConnection; id++)
      socket.send(JSON.stringify({ t: 'sub', id, stream: 'history.changes', params: {} }));
    socket.send(JSON.stringify({ t: 'req', id: 100_000, method: 'app.info', params: {} }));
    await expect.poll(() => replies.find((r) => r.id === 100_000)).toMatchObject({ t: 'res', ok: false, error: { code: 'unavailable' } });
    // Unsubscribing frees a slot: a request is answered again.
    socket.send(JSON.stringify({ t: 'unsub', id: 2 }));
    let id = 100_001;
    await expect
      .poll(
        () => {
          socket.send(JSON.stringify({ t: 'req', id: ++id, method: 'app.info', params: {} }));
          return replies.some((r) => r.t === 'res' && r.ok);
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    socket.send(JSON.stringify({ t: 'sub', id: 1, stream: 'history.changes', params: {} }));
    await expect
      .poll(() => replies.find((r) => r.id === 1 && r.t === 'end'))
      .toMatchObject({ error: { code: 'invalid-argument', field: 'id' } });
    socket.close();
  });
});
