// The captures service through the typed contract (in-process transport), as the UI drives it.
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../../main/captures/contract.ts';
import type { ServiceError } from '../../../main/contract/errors.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { nodeBin, repoRoot } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { arpRequest, ethernetDns, rawIcmp } from './frames.ts';
import { tshark, tsharkRead } from './tshark.ts';
import { wiresharkStandIn } from './wireshark-stand-in.ts';

const dir = tempDir();

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sensor = dgram.createSocket('udp4');
afterAll(() => sensor.close());
const sendAll = (port: number, datagrams: Buffer[]) =>
  Promise.all(datagrams.map((d) => new Promise<void>((r) => sensor.send(d, port, '127.0.0.1', () => r()))));
const eth = (frame: Buffer) => Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), frame]);

describe('captures service', () => {
  it('starts, streams status and decoded packets, records, and stops with final counters', async () => {
    const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: dir } });
    const started = await api.captures.start({ port: 0, bind: '127.0.0.1' });
    expect(started).toMatchObject({ running: true, address: '127.0.0.1', settings: { bind: '127.0.0.1', allow: [] } });
    const port = started.port!;
    const events: LiveEvent[] = [];
    const unsubscribe = api.captures.live({ intervalMs: 100 }, { next: (e) => events.push(e) });
    const recording = await api.captures.record({ path: path.join(dir, 'rec.pcapng') });
    expect(recording.kind).toBe('file');
    await sendAll(port, [eth(arpRequest), eth(ethernetDns), buildTzsp(rawIcmp, { encapsulation: 7, packetId: 1 })]);
    await until(() => events.some((e) => e.type === 'packets' && e.packets.some((p) => p.protocol === 'ICMP')), 'live packets');
    const packets = events.flatMap((e) => (e.type === 'packets' ? e.packets : []));
    expect(packets.map((p) => [p.sensor, p.protocol, p.info])).toEqual([
      ['127.0.0.1', 'ARP', 'Who has 192.0.2.2? Tell 192.0.2.1'],
      ['127.0.0.1', 'DNS', 'Standard query 0x1234 A example.com'],
      ['127.0.0.1', 'ICMP', 'Echo request id=1 seq=2'],
    ]);
    expect((await api.captures.recent({ limit: 2 })).map((p) => p.protocol)).toEqual(['DNS', 'ICMP']);
    await until(() => events.some((e) => e.type === 'status' && e.status.sensors[0]?.packets === 3), 'status with the sensor');
    const closed = await api.captures.closeOutput({ id: recording.id });
    expect(closed).toMatchObject({ packets: 3, drops: 0 });
    const final = await api.captures.stop({});
    expect(final).toMatchObject({ running: false, totals: { packets: 3, malformed: 0 } });
    expect(final.sensors[0]).toMatchObject({ id: '127.0.0.1', packets: 3, linktypes: [1, 101] });
    expect((await api.captures.status({})).running).toBe(false);
    unsubscribe();
    host.close();
    if (tshark) expect(tsharkRead(path.join(dir, 'rec.pcapng'))).toHaveLength(3);
  });

  it('says why it cannot start: port in use, bad bind, bad allow-list, already running', async () => {
    const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: dir } });
    const blocker = dgram.createSocket('udp4');
    await new Promise<void>((r) => blocker.bind(0, '127.0.0.1', r));
    const taken = blocker.address().port;
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => e as ServiceError,
      );
    expect(await failure(api.captures.start({ port: taken, bind: '127.0.0.1' }))).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('already in use'),
    });
    expect(await failure(api.captures.start({ port: 0, bind: 'localhost' }))).toMatchObject({
      code: 'invalid-argument',
      field: 'params.bind',
    });
    expect(await failure(api.captures.start({ port: 0, bind: '127.0.0.1', allow: ['10.0.0.0/99'] }))).toMatchObject({
      code: 'invalid-argument',
      field: 'params.allow',
    });
    await api.captures.start({ port: 0, bind: '127.0.0.1' });
    expect(await failure(api.captures.start({ port: 0, bind: '127.0.0.1' }))).toMatchObject({ code: 'unavailable' });
    expect(await failure(api.captures.record({ path: path.join(dir, 'x.pcapng'), ring: 2 }))).toMatchObject({ field: 'params.ring' });
    await api.captures.stop({});
    blocker.close();
    host.close();
  });

  it('never keeps a host process up: a listener (and its TCP@ stream) left running lets the process exit', () => {
    const inProcess = path.join(repoRoot, 'main', 'host', 'in-process.ts');
    const script = `import { startInProcess } from ${JSON.stringify(inProcess)};
      const { api } = startInProcess();
      await api.captures.start({ port: 0, bind: '127.0.0.1' });
      await api.captures.serveTcp({ port: 0 });
      console.log('listening');`;
    const r = spawnSync(nodeBin, ['--input-type=module', '-e', script], {
      env: { ...process.env, LANYARD_HOME: dir },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.stdout.trim()).toBe('listening');
    expect(r.signal, 'the process had to be killed').toBeNull();
    expect(r.status, r.stderr).toBe(0);
  });

  it.skipIf(!tshark)(
    'opens "Wireshark" on a FIFO and on TCP@; closing it leaves the listener running and reopening re-attaches',
    { timeout: 60_000 },
    async () => {
      const first = wiresharkStandIn(dir, 'via-fifo', 2);
      const env = { ...process.env, LANYARD_HOME: dir, LANYARD_WIRESHARK: first.script };
      const { api, host } = startInProcess({ env });
      const port = (await api.captures.start({ port: 0, bind: '127.0.0.1' })).port!;
      await sendAll(port, [eth(arpRequest)]); // an interface known before Wireshark attaches
      const viaFifo = await api.captures.openWireshark({ via: 'fifo' });
      expect(viaFifo.command.slice(1, 3)).toEqual(['-k', '-i']);
      expect(viaFifo.output.kind).toBe('wireshark');
      await new Promise((r) => setTimeout(r, 500));
      await sendAll(port, [eth(ethernetDns), buildTzsp(rawIcmp, { encapsulation: 7 })]);
      // tshark -c 2 exits: its reader goes away and the output leaves; the listener stays up.
      await until(() => existsSync(first.file) && tsharkRead(first.file).length === 2, 'the FIFO capture');
      await sendAll(port, [eth(arpRequest)]);
      let outputs = (await api.captures.status({})).outputs;
      for (let i = 0; i < 50 && outputs.some((o) => o.kind === 'wireshark'); i++) {
        await new Promise((r) => setTimeout(r, 100));
        outputs = (await api.captures.status({})).outputs;
      }
      expect(outputs).toEqual([]);
      const read = tsharkRead(first.file);
      expect(read.map((p) => p.interfaceName)).toEqual(['127.0.0.1', '127.0.0.1 ip']);

      const second = wiresharkStandIn(dir, 'via-tcp', 2);
      env.LANYARD_WIRESHARK = second.script; // the service reads its env on each open
      const viaTcp = await api.captures.openWireshark({ via: 'tcp' });
      expect(viaTcp.command[3]).toMatch(/^TCP@127\.0\.0\.1:\d+$/);
      await until(
        () => existsSync(`${second.file}.log`) && /Capture started|Capturing/.test(readFileSync(`${second.file}.log`, 'utf8')),
        'tshark on TCP@',
      );
      await new Promise((r) => setTimeout(r, 500));
      await sendAll(port, [eth(ethernetDns), eth(arpRequest)]);
      await until(() => existsSync(second.file) && tsharkRead(second.file).length === 2, 'the TCP@ capture');
      expect((await api.captures.status({})).running).toBe(true);
      await api.captures.stop({});
      host.close();
    },
  );
});
