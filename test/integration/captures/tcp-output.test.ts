// Row 18 of issue 11 (captures half): `--tcp` serves the live capture with no authentication, because
// Wireshark's TCP@ has none. The mitigation is tested here with real sockets: loopback only, one reader at a
// time (later ones get nothing and are counted), and a Wireshark that Lanyard starts gets a port that stops
// listening once it has connected, or after the accept deadline.
import net from 'node:net';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { PcapngSession } from '../../../main/captures/pcapng-session.ts';
import { TcpServerOutput } from '../../../main/captures/tcp-output.ts';

const servers: TcpServerOutput[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: { once?: boolean; acceptMs?: number } = {}) {
  const session = new PcapngSession();
  const server = new TcpServerOutput();
  servers.push(server);
  const port = await server.listen({ port: 0, ...options });
  session.attach(server);
  return { server, session, port };
}

/** Connect and collect what arrives until the peer closes or `ms` pass; `error` is the connect error code. */
function reader(port: number, host = '127.0.0.1') {
  const socket = net.connect(port, host);
  const state = { bytes: 0, closed: false, error: null as string | null, socket };
  socket.on('data', (d) => (state.bytes += d.length));
  socket.on('error', (e: NodeJS.ErrnoException) => (state.error = e.code ?? e.message));
  socket.on('close', () => (state.closed = true));
  return state;
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const packet = { sensor: '192.0.2.1', linktype: 1, encapsulation: 1, frame: Buffer.alloc(60, 7), timestampNs: 1n };

describe('TCP@ live stream mitigation', () => {
  it('listens on 127.0.0.1 only: another address of this machine is refused', async () => {
    const { server, port } = await serve();
    expect(server.port).toBe(port);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    const tries = [reader(port, '127.0.0.1'), ...(external ? [reader(port, external.address)] : [])];
    await until(() => tries[0]!.bytes > 0, 'the loopback reader');
    if (tries[1]) {
      await until(() => tries[1]!.closed, 'the other address');
      expect(tries[1].error).toBe('ECONNREFUSED');
    }
    tries[0]!.socket.destroy();
  });

  it('serves one reader at a time: a second connection gets not a byte and is counted; after the first leaves, a new one may connect', async () => {
    const { server, session, port } = await serve();
    const first = reader(port);
    await until(() => first.bytes > 0 && server.readers() === 1, 'the first reader');
    const second = reader(port);
    await until(() => second.closed, 'the second reader to be shut out');
    session.write(packet);
    const before = first.bytes;
    await until(() => first.bytes > before, 'the packet at the first reader');
    expect(second.bytes).toBe(0);
    expect(server.label).toMatch(/1 reader, 1 refused/);
    first.socket.destroy();
    await until(() => server.readers() === 0, 'the first reader to leave');
    const third = reader(port);
    await until(() => third.bytes > 0, 'a new reader after the first left');
    third.socket.destroy();
  });

  it('once: stops listening as soon as its reader connects, so nobody can connect after it, even once it has gone', async () => {
    const { server, port } = await serve({ once: true });
    const wireshark = reader(port);
    await until(() => wireshark.bytes > 0, 'the reader Lanyard started');
    expect(server.listening).toBe(false);
    wireshark.socket.destroy();
    await until(() => server.readers() === 0, 'the reader to leave');
    const late = reader(port);
    await until(() => late.closed, 'the late connection');
    expect(late.error).toBe('ECONNREFUSED');
    expect(late.bytes).toBe(0);
  });

  it('once: stops listening when nobody connects before the accept deadline', async () => {
    const { server, port } = await serve({ once: true, acceptMs: 200 });
    await until(() => !server.listening, 'the deadline');
    const late = reader(port);
    await until(() => late.closed, 'the late connection');
    expect(late.error).toBe('ECONNREFUSED');
  });
});
