// Calls bench (b), live: CALLS concurrent calls (500) over TZSP on loopback, each with two RTP streams at 50
// packets/s (50k packets/s for 500 calls) for SECONDS (30; LANYARD_BENCH_SECONDS shortens it), SIP set-up and
// tear-down around it. Lanyard's service host with Calls tracking every packet and a pcapng recording, then
// Wireshark's `udpdump --payload tzsp` (writing a pcap, decoding nothing) on the same traffic, one at a time:
// loss (aim 0) and receiver CPU per packet received (aim: no more than udpdump's), CPU from /proc during the run.
// The sender is paced; on a loaded machine it falls behind (the RTP rate it reached is printed).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, loadAverage, report, withTempHome } from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(here, '..', '..', 'out', 'lib', 'in-process.js');
const udpdump =
  ['/usr/lib/x86_64-linux-gnu/wireshark/extcap/udpdump', '/usr/libexec/wireshark/extcap/udpdump', '/usr/lib/wireshark/extcap/udpdump'].find(
    existsSync,
  ) ?? null;
const calls = Number(process.env.LANYARD_BENCH_CALLS ?? 500);
const seconds = Number(process.env.LANYARD_BENCH_SECONDS ?? 30);

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

async function runOnce(receiver: 'lanyard' | 'udpdump', dir: string): Promise<Run> {
  const port = await freePort();
  const file = path.join(dir, `${receiver}.${receiver === 'lanyard' ? 'pcapng' : 'pcap'}`);
  const child =
    receiver === 'lanyard'
      ? spawn(process.execPath, [path.join(here, 'calls-live-receiver.ts'), String(port), file], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LANYARD_HOME: dir },
        })
      : spawn(udpdump!, ['--extcap-interface', 'udpdump', '--port', String(port), '--payload', 'tzsp', '--fifo', file, '--capture'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  if (receiver === 'lanyard') await until(() => err.includes('listening'), `the receiver\n${err}`);
  else await new Promise((r) => setTimeout(r, 1000));
  const cpuBefore = cpuSeconds(child.pid!);
  const started = performance.now();
  const sender = spawnSync(process.execPath, [path.join(here, 'calls-live-sender.ts'), String(port), String(calls), String(seconds)], {
    encoding: 'utf8',
    timeout: (seconds + 60) * 1000,
  });
  await new Promise((r) => setTimeout(r, 500)); // the receiver drains its socket buffer
  const cpu = cpuSeconds(child.pid!) - cpuBefore;
  const wall = (performance.now() - started) / 1000;
  child.kill(receiver === 'lanyard' ? 'SIGINT' : 'SIGTERM');
  await exited(child);
  const sent = JSON.parse(sender.stdout.trim().split('\n').at(-1) ?? '{}') as Sent;
  return { sent, received: packetsIn(file), cpuSeconds: cpu, wallSeconds: wall, report: out.trim() };
}

await withTempHome(async (dir) => {
  if (!existsSync(bundle)) throw new Error('out/lib/in-process.js is missing: npm run bench builds it first');
  process.stdout.write(
    `${calls} calls × 2 RTP streams × 50 pkt/s = ${(calls * 100) / 1000}k pkt/s for ${seconds} s over TZSP on loopback; load average ${loadAverage()} on ${os.cpus().length} CPUs; rmem_max ${readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()}\n`,
  );
  const lanyard = await runOnce('lanyard', dir);
  const figures = JSON.parse(lanyard.report.split('\n').at(-1) ?? '{}') as Record<string, number>;
  const lost = lanyard.sent.sent - lanyard.received;
  report(
    `lanyard loss (sent ${lanyard.sent.sent}, RTP at ${Math.round(lanyard.sent.rtp / lanyard.sent.rtpSeconds)}/s)`,
    (100 * lost) / lanyard.sent.sent,
    '%',
    {
      below: 0.001,
    },
  );
  // Per packet received: a packet the kernel dropped cost the receiver nothing, so per packet sent flatters the lossier.
  const lanyardPerPacket = (1e6 * lanyard.cpuSeconds) / lanyard.received;
  report('lanyard receiver CPU per packet received', lanyardPerPacket, 'µs');
  report('lanyard receiver CPU', (100 * lanyard.cpuSeconds) / lanyard.wallSeconds, '%');
  process.stdout.write(
    `  tracker: ${figures.calls} calls (${figures.completed} completed), ${figures.streams} streams with SDP, ${figures.orphanStreams} without, ${figures.trackerRtp} RTP and ${figures.trackerSip} SIP packets; kernel drops ${figures.kernelDrops}, output drops ${figures.outputDrops}\n`,
  );
  if (!udpdump) {
    process.stdout.write('udpdump is not installed (Debian: wireshark-common): the baseline is skipped\n');
    return;
  }
  const baseline = await runOnce('udpdump', dir);
  report(`udpdump loss (sent ${baseline.sent.sent})`, (100 * (baseline.sent.sent - baseline.received)) / baseline.sent.sent, '%');
  const baselinePerPacket = (1e6 * baseline.cpuSeconds) / baseline.received;
  report('udpdump receiver CPU per packet received', baselinePerPacket, 'µs');
  report('udpdump receiver CPU', (100 * baseline.cpuSeconds) / baseline.wallSeconds, '%');
  report('lanyard / udpdump CPU per packet', lanyardPerPacket / baselinePerPacket, '×', { below: 1 });
});
