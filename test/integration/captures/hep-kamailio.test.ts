// Issue 13, HEP with real peers: SIPp UAC → Kamailio (stateless proxy, siptrace sending HEP) → SIPp UAS with
// answered, busy (486), cancelled and unanswered calls, on loopback. Judges: dumpcap's capture of the same SIP
// on lo (read by tshark) for every message, address, port and time stamp; tshark's `-z sip,stat` on the pcapng
// Lanyard wrote. The same capture replayed as TZSP must reach the transport tap; a wrong auth key is counted
// and dropped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListenSettings } from '../../../main/captures/contract.ts';
import { FileOutput } from '../../../main/captures/file-output.ts';
import { Listener } from '../../../main/captures/listener.ts';
import { sendCapture } from '../../../main/captures/sender.ts';
import type { TransportPacket } from '../../../main/captures/transport-packet.ts';
import { tempDir } from '../../support/temp-dir.ts';
import {
  type CallKind,
  dumpcap,
  freePort,
  kamailio,
  kamailioConfig,
  Processes,
  sipFields,
  sipp,
  sipStat,
  tsharkSip,
  udpBound,
  until,
  type WireSip,
  writeScenarios,
} from './sip-lab.ts';
import { capinfosInterfaces, tshark } from './tshark.ts';

const dir = tempDir();
const peers = Boolean(kamailio && sipp && dumpcap && tshark);
const processes = new Processes();
afterAll(() => processes.stopAll());

const settings = (hep: ListenSettings['hep'], extra: Partial<ListenSettings> = {}): ListenSettings => ({
  port: 0,
  bind: '127.0.0.1',
  allow: [],
  tzsp: false,
  ...(hep ? { hep } : {}),
  ...extra,
});

/** What a sink keeps: the packet with its payload copied (the view is only valid during the call). */
function collect(listener: Listener): TransportPacket[] {
  const seen: TransportPacket[] = [];
  listener.tap.add((p) => seen.push({ ...p, payload: Buffer.from(p.payload) }));
  return seen;
}

const key = (m: Pick<WireSip, 'src' | 'sport' | 'dst' | 'dport' | 'firstLine' | 'callId' | 'cseq'>) =>
  `${m.src}:${m.sport} > ${m.dst}:${m.dport} | ${m.firstLine} | ${m.callId} | ${m.cseq}`;
const fromTap = (p: TransportPacket): WireSip => ({
  ts: p.ts / 1e6,
  src: p.src,
  sport: p.sport,
  dst: p.dst,
  dport: p.dport,
  ...sipFields(p.payload),
});

interface LabRun {
  wire: string;
  lanyard: string;
  tapped: TransportPacket[];
  status: ReturnType<Listener['status']>;
}

/** Start Lanyard's HEP listener, Kamailio, the UASes and dumpcap; place `calls`; stop everything; return what each saw. */
async function runLab(
  name: string,
  options: { version: 2 | 3; authKey?: string; password?: string; calls: CallKind[]; transport?: 'udp' | 'tcp' },
): Promise<LabRun> {
  const work = path.join(dir, name);
  const scenarios = writeScenarios(dir);
  const [proxy, uac, answer, busy, cancel, noanswer, hepPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const ports = { proxy: proxy!, uac: uac!, uas: { answer: answer!, busy: busy!, cancel: cancel!, noanswer: noanswer! } };
  const listener = await Listener.start(
    settings({ port: hepPort!, bind: '127.0.0.1', ...(options.password ? { password: options.password } : {}) }),
  );
  const lanyard = `${work}-lanyard.pcapng`;
  const file = new FileOutput({ path: lanyard });
  listener.addOutput('file', file);
  const tapped = collect(listener);

  // Every SIP message of the lab goes to or from the proxy (other programs use lo too); its HEP is not SIP on the wire.
  const wire = `${work}-wire.pcapng`;
  const capture = processes.start(dumpcap!, ['-i', 'lo', '-f', `udp port ${ports.proxy} and not port ${hepPort}`, '-w', wire], dir);
  await until(() => capture.output().includes('Capturing on'), 'dumpcap');
  const config = path.join(dir, `${name}.cfg`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    config,
    kamailioConfig(ports, {
      port: hepPort!,
      version: options.version,
      ...(options.authKey ? { authKey: options.authKey } : {}),
      ...(options.transport ? { transport: options.transport } : {}),
    }),
  );
  const proxyProcess = processes.start(kamailio!, ['-f', config, '-DD', '-E', '-n', '1', '-Y', dir], dir);
  await until(() => udpBound(ports.proxy), `kamailio on ${ports.proxy} (exit ${proxyProcess.exitCode})\n${proxyProcess.output()}`);
  const uasArgs = (port: number) => ['-i', '127.0.0.1', '-p', String(port), '-nostdin', '-m', '100'];
  const servers = [
    processes.start(sipp!, ['-sn', 'uas', ...uasArgs(ports.uas.answer)], dir),
    processes.start(sipp!, ['-sf', scenarios.busyUas, ...uasArgs(ports.uas.busy)], dir),
    processes.start(sipp!, ['-sf', scenarios.cancelUas, ...uasArgs(ports.uas.cancel)], dir),
  ];
  await until(
    () => [ports.uas.answer, ports.uas.busy, ports.uas.cancel].every(udpBound),
    `the SIPp servers\n${servers.map((s) => s.output()).join('\n')}`,
  );
  await new Promise((r) => setTimeout(r, 300)); // dumpcap's "Capturing on" comes just before its filter is live
  for (const kind of options.calls) {
    const scenario = {
      answer: ['-sn', 'uac'],
      busy: ['-sf', scenarios.busyUac],
      cancel: ['-sf', scenarios.cancelUac],
      noanswer: ['-sf', scenarios.noanswerUac],
    }[kind];
    const client = processes.start(
      sipp!,
      [
        ...scenario,
        '-s',
        kind,
        '-i',
        '127.0.0.1',
        '-p',
        String(ports.uac),
        `127.0.0.1:${ports.proxy}`,
        '-m',
        '2',
        '-r',
        '10',
        '-nostdin',
        '-timeout',
        '20',
        '-d',
        '200',
      ],
      dir,
    );
    await new Promise((r) => client.once('close', r));
    if (kind !== 'noanswer') expect(client.exitCode, `${kind}: ${client.output()}`).toBe(0);
  }
  await new Promise((r) => setTimeout(r, 500)); // the last HEP datagrams and packets on lo
  await Promise.all([...servers, proxyProcess].map((p) => processes.stop(p)));
  await processes.stop(capture);
  const status = await listener.stop();
  return { wire, lanyard, tapped, status };
}

describe.skipIf(!peers)('HEP from Kamailio (siptrace) with SIPp calls through it', () => {
  let run: LabRun;
  beforeAll(async () => {
    run = await runLab('v3', { version: 3, authKey: 'lab-key', password: 'lab-key', calls: ['answer', 'busy', 'cancel', 'noanswer'] });
  }, 120_000);

  it('every SIP message on the wire arrives as HEP, with its addresses, ports, Call-ID and CSeq', () => {
    const wire = tsharkSip(tshark!, run.wire);
    const heard = run.tapped.map(fromTap);
    expect(wire.length).toBeGreaterThan(20);
    expect(heard.map(key).sort()).toEqual(wire.map(key).sort());
    const lines = new Set(
      wire.map((m) => (m.firstLine.split(' ')[0] === 'SIP/2.0' ? m.firstLine.split(' ')[1] : m.firstLine.split(' ')[0])),
    );
    for (const expected of ['INVITE', 'ACK', 'BYE', 'CANCEL', '180', '200', '486', '487']) expect(lines).toContain(expected);
    expect(run.status.hep?.totals).toMatchObject({ messages: wire.length, authFailed: 0, malformed: 0 });
  });

  it("stamps each message with Kamailio's capture time (within 100 ms of dumpcap's)", () => {
    const wire = tsharkSip(tshark!, run.wire);
    const byKey = new Map<string, number[]>();
    for (const m of run.tapped.map(fromTap)) byKey.set(key(m), [...(byKey.get(key(m)) ?? []), m.ts]);
    for (const m of wire) {
      const times = byKey.get(key(m)) ?? [];
      const nearest = Math.min(...times.map((t) => Math.abs(t - m.ts)));
      expect(nearest, key(m)).toBeLessThan(0.1);
    }
  });

  it("writes a pcapng tshark reads as the same SIP: -z sip,stat equals dumpcap's capture of the traffic", () => {
    expect(sipStat(tshark!, run.lanyard)).toEqual(sipStat(tshark!, run.wire));
    expect(capinfosInterfaces(run.lanyard).names).toEqual(['hep 2001@127.0.0.1']);
  });

  it('the same traffic replayed as TZSP (lanyard tzsp send) reaches the transport tap as the same messages', async () => {
    const listener = await Listener.start(settings(undefined, { tzsp: true }));
    const tapped = collect(listener);
    await sendCapture({ file: run.wire, host: '127.0.0.1', port: listener.receiver.address!.port, loop: false, rate: 500 });
    const wire = tsharkSip(tshark!, run.wire);
    await until(() => tapped.filter((p) => sipFields(p.payload).callId).length >= wire.length, 'the replayed packets', 20_000).catch(
      () => undefined,
    );
    const { totals } = await listener.stop();
    expect(totals.kernelDrops, 'the kernel dropped replayed datagrams (machine overloaded)').toBe(0);
    const sip = tapped.map(fromTap).filter((m) => m.callId);
    expect(sip.map(key).sort()).toEqual(wire.map(key).sort());
    expect(new Set(tapped.map((p) => p.source))).toEqual(new Set(['127.0.0.1']));
  });
});

describe.skipIf(!peers)('HEP from Kamailio: HEPv2, and a wrong auth key', () => {
  it('HEPv2 (fixed header, little-endian time) gives the same messages and times', async () => {
    const run = await runLab('v2', { version: 2, calls: ['answer'] });
    const wire = tsharkSip(tshark!, run.wire);
    expect(run.tapped.map(fromTap).map(key).sort()).toEqual(wire.map(key).sort());
    const first = run.tapped.map(fromTap).find((m) => m.firstLine.startsWith('INVITE'))!;
    expect(Math.abs(first.ts - wire.find((m) => key(m) === key(first))!.ts)).toBeLessThan(0.1);
    expect(sipStat(tshark!, run.lanyard)).toEqual(sipStat(tshark!, run.wire));
  }, 60_000);

  it('HEPv3 over TCP (duplicate_uri ;transport=tcp): the same messages, framed from the stream', async () => {
    const run = await runLab('tcp', { version: 3, calls: ['answer', 'busy'], transport: 'tcp' });
    const wire = tsharkSip(tshark!, run.wire);
    expect(run.tapped.map(fromTap).map(key).sort()).toEqual(wire.map(key).sort());
    expect(run.status.hep?.totals).toMatchObject({ messages: wire.length, connections: 1, connectionsBroken: 0, malformed: 0 });
  }, 60_000);

  it('a wrong auth key: every message counted as authFailed and dropped, nothing written', async () => {
    const run = await runLab('wrong-key', { version: 3, authKey: 'not-the-key', password: 'lab-key', calls: ['answer'] });
    const wire = tsharkSip(tshark!, run.wire);
    expect(wire.length).toBeGreaterThan(0);
    expect(run.tapped).toEqual([]);
    expect(run.status.hep?.totals).toMatchObject({ received: wire.length, authFailed: wire.length, messages: 0 });
    expect(readFileSync(run.lanyard).length).toBeLessThan(200); // the section header only
  }, 60_000);
});
