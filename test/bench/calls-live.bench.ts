// Calls bench (b), live: CALLS concurrent calls (500) over TZSP on loopback, each with two RTP streams at 50
// packets/s (50k packets/s for 500 calls) for SECONDS (30; LANYARD_BENCH_SECONDS shortens it), SIP set-up and
// tear-down around it. One receiver at a time on the same traffic: the floors (a bare socket that only counts, on
// Node's dgram and on Lanyard's recvmmsg batch addon), Wireshark's `udpdump --payload tzsp` (writing a pcap,
// decoding nothing), and Lanyard's service host with Calls tracking every packet and a pcapng recording, on both
// receive paths: `lanyard-dgram` and `lanyard` (batch, when the addon is built) (LANYARD_BENCH_BEFORE=DIR adds another checkout as
// "lanyard-before"; LANYARD_BENCH_ROUNDS=N alternates them N times, medians). Loss (aim 0) and receiver CPU per
// packet received (aim: no more than udpdump's), CPU of the whole process (every thread) from /proc.
// The sender is paced; on a loaded machine it falls behind (the RTP rate it reached is printed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { udpReceivePath } from '../../main/captures/udp-receive.ts';
import { cpuSeconds, loadAverage, report, withTempHome } from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, '..', '..', 'out', 'lib', 'in-process.js');
const udpdump =
  ['/usr/lib/x86_64-linux-gnu/wireshark/extcap/udpdump', '/usr/libexec/wireshark/extcap/udpdump', '/usr/lib/wireshark/extcap/udpdump'].find(
    existsSync,
  ) ?? null;
const calls = Number(process.env.LANYARD_BENCH_CALLS ?? 500);
const seconds = Number(process.env.LANYARD_BENCH_SECONDS ?? 30);
const batch = udpReceivePath({}).path === 'batch';

async function freePort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(r));
  return port;
}

function packetsIn(file: string): number {
  const out = spawnSync('capinfos', ['-c', '-M', file], { encoding: 'utf8' }).stdout;
  return Number(/Number of packets:\s*(\d+)/.exec(out)?.[1] ?? 0);
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

interface Sent {
  sent: number;
  rtp: number;
  sip: number;
  rtpSeconds: number;
  seconds: number;
}

interface Run {
  sent: Sent;
  received: number;
  cpuSeconds: number;
  wallSeconds: number;
  report: string;
}

type Receiver = 'floor' | 'floor-batch' | 'udpdump' | 'lanyard' | 'lanyard-dgram' | 'lanyard-before';

function startReceiver(receiver: Receiver, port: number, file: string, dir: string): ChildProcess {
  const options = { stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANYARD_HOME: dir } };
  switch (receiver) {
    case 'floor':
      return spawn(process.execPath, [path.join(here, 'calls-live-floor.ts'), String(port)], options);
    case 'floor-batch':
      return spawn(process.execPath, [path.join(here, 'calls-live-floor.ts'), String(port), 'batch'], options);
    case 'udpdump':
      return spawn(
        udpdump!,
        ['--extcap-interface', 'udpdump', '--port', String(port), '--payload', 'tzsp', '--fifo', file, '--capture'],
        options,
      );
    case 'lanyard':
    case 'lanyard-dgram':
      return spawn(process.execPath, [path.join(here, 'calls-live-receiver.ts'), String(port), file], {
        ...options,
        env: { ...options.env, LANYARD_UDP_RECEIVE: receiver === 'lanyard' && batch ? 'batch' : 'dgram' },
      });
    case 'lanyard-before':
      return spawn(process.execPath, [path.join(here, 'calls-live-receiver.ts'), String(port), file], {
        ...options,
        env: { ...options.env, LANYARD_BENCH_TREE: before! },
      });
  }
}

async function runOnce(receiver: Receiver, dir: string): Promise<Run> {
  const port = await freePort();
  const file = path.join(dir, `${receiver}.${receiver === 'udpdump' ? 'pcap' : 'pcapng'}`);
  const child = startReceiver(receiver, port, file, dir);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  if (receiver === 'udpdump') await new Promise((r) => setTimeout(r, 1000));
  else await until(() => err.includes('listening'), `the receiver\n${err}`, 60_000);
  const cpuBefore = cpuSeconds(child.pid!);
  const started = performance.now();
  const sender = spawnSync(process.execPath, [path.join(here, 'calls-live-sender.ts'), String(port), String(calls), String(seconds)], {
    encoding: 'utf8',
    timeout: (seconds + 60) * 1000,
  });
  await new Promise((r) => setTimeout(r, 500)); // the receiver drains its socket buffer
  if (child.exitCode !== null || child.signalCode !== null)
    throw new Error(`the ${receiver} receiver ended during the run (${child.exitCode ?? child.signalCode}):\n${err}`);
  const cpu = cpuSeconds(child.pid!) - cpuBefore;
  const wall = (performance.now() - started) / 1000;
  child.kill(receiver === 'udpdump' ? 'SIGTERM' : 'SIGINT');
  await exited(child);
  const sent = JSON.parse(sender.stdout.trim().split('\n').at(-1) ?? '{}') as Sent;
  const last = JSON.parse(out.trim().split('\n').at(-1) || '{}') as { packets?: number };
  const received = receiver.startsWith('floor') ? (last.packets ?? 0) : packetsIn(file);
  return { sent, received, cpuSeconds: cpu, wallSeconds: wall, report: out.trim() };
}

/** LANYARD_BENCH_BEFORE=DIR: also run another checkout (its sources) as "lanyard-before", alternating with this one. */
const before = process.env.LANYARD_BENCH_BEFORE ?? null;
const rounds = Number(process.env.LANYARD_BENCH_ROUNDS ?? 1);

await withTempHome(async (dir) => {
  if (!existsSync(bundle)) throw new Error('out/lib/in-process.js is missing: npm run bench builds it first');
  process.stdout.write(
    `${calls} calls × 2 RTP streams × 50 pkt/s = ${(calls * 100) / 1000}k pkt/s for ${seconds} s over TZSP on loopback; load average ${loadAverage()} on ${os.cpus().length} CPUs; rmem_max ${readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()}\n`,
  );
  const receivers: Receiver[] = [
    'floor',
    ...(batch ? (['floor-batch'] as const) : []),
    ...(udpdump ? (['udpdump'] as const) : []),
    ...(before ? (['lanyard-before'] as const) : []),
    'lanyard-dgram',
    'lanyard',
  ];
  if (!udpdump) process.stdout.write('udpdump is not installed (Debian: wireshark-common): its figure is skipped\n');
  process.stdout.write(`lanyard receives on the ${batch ? 'batch (recvmmsg addon)' : 'dgram'} path: ${udpReceivePath({}).why}\n`);
  const runs = new Map<Receiver, Run[]>();
  for (let round = 0; round < rounds; round++)
    for (const receiver of receivers) {
      const run = await runOnce(receiver, dir);
      runs.set(receiver, [...(runs.get(receiver) ?? []), run]);
      if (receiver === 'lanyard' || receiver === 'lanyard-dgram') {
        const figures = JSON.parse(run.report.split('\n').at(-1) ?? '{}') as Record<string, number>;
        process.stdout.write(
          `  ${receiver} tracker: ${figures.calls} calls (${figures.completed} completed), ${figures.streams} streams with SDP, ${figures.orphanStreams} without, ${figures.trackerRtp} RTP and ${figures.trackerSip} SIP packets; kernel drops ${figures.kernelDrops}, output drops ${figures.outputDrops}\n`,
        );
      }
    }
  // Per packet received: a packet the kernel dropped cost the receiver nothing, so per packet sent flatters the lossier.
  const perPacket = (r: Run) => (1e6 * r.cpuSeconds) / Math.max(1, r.received);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const figure = (receiver: Receiver) => {
    const list = runs.get(receiver) ?? [];
    return list.length ? median(list.map(perPacket)) : NaN;
  };
  const floor = figure('floor');
  const baseline = figure('udpdump');
  process.stdout.write(
    `\nreceiver         sent     received  lost %   CPU µs/packet  CPU %   × udpdump  × floor   (median of ${rounds})\n`,
  );
  for (const receiver of receivers) {
    const list = runs.get(receiver)!;
    const r = list.at(-1)!;
    const us = figure(receiver);
    process.stdout.write(
      `${receiver.padEnd(15)} ${String(r.sent.sent).padStart(8)} ${String(r.received).padStart(10)}  ${((100 * (r.sent.sent - r.received)) / r.sent.sent).toFixed(3).padStart(6)}  ${us.toFixed(2).padStart(13)}  ${((100 * r.cpuSeconds) / r.wallSeconds).toFixed(0).padStart(5)}  ${(us / baseline).toFixed(2).padStart(9)}  ${(us / floor).toFixed(2).padStart(7)}\n`,
    );
  }
  process.stdout.write(
    `  (RTP rate the sender reached in the last lanyard run: ${Math.round(runs.get('lanyard')!.at(-1)!.sent.rtp / runs.get('lanyard')!.at(-1)!.sent.rtpSeconds)}/s)\n`,
  );
  const lanyard = runs.get('lanyard')!.at(-1)!;
  report('lanyard loss', (100 * (lanyard.sent.sent - lanyard.received)) / lanyard.sent.sent, '%', { below: 0.001 });
  report('lanyard receiver CPU per packet received', figure('lanyard'), 'µs');
  report('lanyard on the dgram path CPU per packet received', figure('lanyard-dgram'), 'µs');
  report('floor (bare Node dgram) CPU per packet', floor, 'µs');
  if (batch) report('floor (bare batch addon) CPU per packet', figure('floor-batch'), 'µs');
  if (udpdump) {
    report('udpdump receiver CPU per packet received', baseline, 'µs');
    report('lanyard / udpdump CPU per packet', figure('lanyard') / baseline, '×', { below: 1 });
  }
  report('lanyard / bare Node floor CPU per packet', figure('lanyard') / floor, '×');
  if (before) report('lanyard-before receiver CPU per packet received', figure('lanyard-before'), 'µs');
});
