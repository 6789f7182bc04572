// The listener runs in a receiver process of its own: a host thread that stops for a second loses nothing (the
// receiver keeps draining the socket; Calls gets every packet in batches afterwards); a receiver that dies is
// reported as a clear error, after which the capture starts again; a host that dies leaves a whole capture file
// and no receiver behind; and on Linux the receiver is a session of its own (its CPU is not the host's share).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ServiceError } from '../../../main/contract/errors.ts';
import { createCapturesService } from '../../../main/captures/service.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { hostExecArgv } from '../../../main/system/host-heap-flags.ts';
import { nodeBin, repoRoot } from '../../support/paths.ts';
import { alive, childRunning, sessionOf } from '../../support/proc-stat.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { ethernet, ipv4, udp } from './frames.ts';
import { capinfos, tshark } from './tshark.ts';
import { forceReceivePath, receivePaths } from '../../support/receive-paths.ts';

const dir = tempDir();
const datagrams = 20_000;

/** Packets in a capture file, as tshark counts them. */
function tsharkCount(file: string): number {
  const out = execFileSync(tshark!, ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\n').filter(Boolean).length;
}

/**
 * A sensor in its own process (this thread will be busy): says "go" once its socket is ready, then sends `count`
 * TZSP datagrams (UDP in IPv4 in Ethernet, the last 4 payload bytes a sequence number) in bursts of 100 every 5 ms.
 */
function sensorProcess(port: number, count: number) {
  const template = buildTzsp(ethernet(0x0800, ipv4(17, '10.1.1.1', '10.1.1.2', udp(40000, 40002, Buffer.alloc(64, 0x55)))), {
    encapsulation: 1,
  });
  const script = `
    const dgram = require('node:dgram');
    const template = Buffer.from(${JSON.stringify(template.toString('hex'))}, 'hex');
    const socket = dgram.createSocket('udp4');
    let sent = 0;
    socket.connect(${port}, '127.0.0.1', () => {
      process.stdout.write('go\\n');
      const burst = () => {
        for (let i = 0; i < 100 && sent < ${count}; i++) {
          const d = Buffer.from(template);
          d.writeUInt32BE(sent++, d.length - 4);
          socket.send(d);
        }
        if (sent < ${count}) setTimeout(burst, 5);
        else setTimeout(() => socket.close(), 100);
      };
      setTimeout(burst, 20);
    });`;
  const child = spawn(nodeBin, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('go') && resolve()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { ready, exited };
}

/** Holds this thread for `ms` of wall time, as a long synchronous request or a stuck terminal handler would. */
function busy(ms: number): number {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  return spins;
}

describe.each(receivePaths)('the receiver process (UDP: %s)', (receivePath) => {
  forceReceivePath(receivePath);
  const hosts: { close(): void }[] = [];
  afterAll(() => {
    for (const h of hosts) h.close();
  });

  it.skipIf(!tshark || !capinfos)(
    'a host thread blocked for a second while 20,000 datagrams arrive loses none: all in the pcapng, all handed to Calls',
    { timeout: 120_000 },
    async () => {
      const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: dir } });
      hosts.push(host);
      await api.calls.list({}); // Calls on the tap: the receiver also decodes and batches every packet
      const file = path.join(dir, 'blocked.pcapng');
      const started = await api.captures.start({ port: 0, bind: '127.0.0.1', record: { path: file } });
      expect(started.receivePath).toBe(receivePath); // the receiver took the path this block forces
      const sensor = sensorProcess(started.port!, datagrams);
      await sensor.ready;
      // 20,000 datagrams take about a second to send; this thread answers nothing for that second. With the
      // socket on this thread, the kernel's receive buffer (4 MB rmem_max here: ~5,000 such datagrams) overflows.
      expect(busy(1000)).toBeGreaterThan(0);
      expect(await sensor.exited).toBe(0);
      const until = Date.now() + 20_000;
      while ((await api.captures.status({})).totals.packets < datagrams && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      const final = await api.captures.stop({});
      expect(final.totals).toMatchObject({ datagrams, packets: datagrams, malformed: 0 });
      if (final.totals.kernelDrops !== null) expect(final.totals.kernelDrops).toBe(0);
      expect(final.outputs[0]).toMatchObject({ packets: datagrams, drops: 0 });
      expect(final.tap.packets).toBe(datagrams);
      expect(final.tapBehind).toBe(0);
      // Every batch reached Calls before stop returned.
      expect((await api.calls.list({}))?.counters.packets).toBe(datagrams);
      expect(tsharkCount(file)).toBe(datagrams);
    },
  );

  it('starts in a host run as the app runs it (its V8 flags) and in one started by `node -e`', { timeout: 60_000 }, () => {
    const inProcess = path.join(repoRoot, 'main', 'host', 'in-process.ts');
    const script = `import { startInProcess } from ${JSON.stringify(inProcess)};
      const { api } = startInProcess();
      const started = await api.captures.start({ port: 0, bind: '127.0.0.1' });
      const stopped = await api.captures.stop({});
      console.log(JSON.stringify([started.running, stopped.running]));`;
    const r = spawnSync(nodeBin, [...hostExecArgv, '--input-type=module', '-e', script], {
      env: { ...process.env, LANYARD_HOME: dir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout.trim(), r.stderr).toBe('[true,false]');
  });

  it('a receiver that dies is reported as a clear error, and the capture starts again', { timeout: 60_000 }, async () => {
    const captures = createCapturesService({ env: process.env });
    const settings = { port: 0, bind: '127.0.0.1', allow: [], tzsp: true };
    // The service lets go of a receiver once it has seen it die (a request crossing the death fails with the same error).
    const gone = () =>
      until(
        async () => captures.receiver,
        (receiver) => receiver === null,
      );
    const first = await captures.start(settings);
    captures.receiver!.process.kill('SIGKILL'); // as the kernel's OOM killer would end it
    await gone();
    const after = await captures.status();
    expect(after).toMatchObject({
      running: false,
      port: first.port,
      error: expect.stringContaining('capture process stopped unexpectedly (signal SIGKILL)'),
    });
    const refused = await captures.record({ path: path.join(dir, 'never.pcapng') }).then(
      () => null,
      (e: unknown) => e as ServiceError,
    );
    expect(refused).toMatchObject({ code: 'unavailable', message: expect.stringContaining('capture process stopped unexpectedly') });
    const second = await captures.start({ ...settings, port: first.port! }); // the dead receiver's socket is closed
    expect(second).toMatchObject({ running: true, port: first.port, error: null });
    // An uncaught error in the receiver (here: a message it cannot read): the same, with the error's own message.
    captures.receiver!.process.send(null as never);
    await gone();
    expect(await captures.status()).toMatchObject({
      running: false,
      error: expect.stringMatching(/capture process failed: .*null/),
    });
    // The process object failing (an IPC error): the same, with its message.
    await captures.start(settings);
    captures.receiver!.process.emit('error', new Error('channel broken (as a test says)'));
    expect(await captures.status()).toMatchObject({ running: false, error: expect.stringContaining('channel broken (as a test says)') });
    const fourth = await captures.start(settings);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.send(buildTzsp(Buffer.alloc(60, 1), { encapsulation: 1 }), fourth.port!, '127.0.0.1', () => r()));
    socket.close();
    await until(
      () => captures.status(),
      (s) => s.totals.packets >= 1,
    );
    expect(await captures.stop()).toMatchObject({ running: false, error: null, totals: { packets: 1 } });
  });

  it.skipIf(!tshark || !capinfos || process.platform !== 'linux')(
    'a host killed mid-capture leaves a whole pcapng and no receiver; the receiver is a session of its own',
    { timeout: 60_000 },
    async () => {
      const file = path.join(dir, `host-killed-${receivePath}.pcapng`);
      const inProcess = path.join(repoRoot, 'main', 'host', 'in-process.ts');
      const script = `import { startInProcess } from ${JSON.stringify(inProcess)};
        const { api } = startInProcess();
        const started = await api.captures.start({ port: 0, bind: '127.0.0.1', record: { path: ${JSON.stringify(file)} } });
        console.log(started.port);
        setInterval(() => {}, 1000);`;
      const host = spawn(nodeBin, [...hostExecArgv, '--input-type=module', '-e', script], {
        env: { ...process.env, LANYARD_HOME: dir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const port = await new Promise<number>((resolve) => host.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
      const receiver = childRunning(host.pid!, 'receive-process-entry');
      expect(receiver, 'the receiver process').toBeGreaterThan(0);
      expect(sessionOf(receiver!)).toBe(receiver); // it leads a session of its own
      expect(sessionOf(receiver!)).not.toBe(sessionOf(host.pid!));
      const socket = dgram.createSocket('udp4');
      const frame = buildTzsp(ethernet(0x0800, ipv4(17, '10.9.9.1', '10.9.9.2', udp(5060, 5060, Buffer.from('x')))), { encapsulation: 1 });
      for (let i = 0; i < 50; i++) await new Promise<void>((r) => socket.send(frame, port, '127.0.0.1', () => r()));
      socket.close();
      await new Promise((r) => setTimeout(r, 300));
      host.kill('SIGKILL');
      const deadline = Date.now() + 10_000;
      while (alive(receiver!) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(alive(receiver!), 'the receiver outlived its host').toBe(false);
      expect(tsharkCount(file)).toBe(50); // closed whole: tshark reads every packet, no cut-short error
    },
  );
});

/** Polls `read` until `done` says so (10 s at most), and returns the last value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
