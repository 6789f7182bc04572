// TZSP receive bench: 120-byte frames at 20k, 50k and 100k packets/s for 10 s over loopback, into a pcapng file.
// Lanyard (`lanyard tzsp listen --write`) and Wireshark's `udpdump --payload tzsp` (the baseline) in the same run,
// one receiver at a time, each in its own process; loss is counted from what reached the file, CPU from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, loadAverage, report, withTempHome } from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', '..', 'out', 'cli.js');
const udpdump =
  ['/usr/lib/x86_64-linux-gnu/wireshark/extcap/udpdump', '/usr/libexec/wireshark/extcap/udpdump', '/usr/lib/wireshark/extcap/udpdump'].find(
    existsSync,
  ) ?? null;
const rates = (process.env.LANYARD_BENCH_RATES ?? '20000,50000,100000').split(',').map(Number);
const seconds = Number(process.env.LANYARD_BENCH_SECONDS ?? 10);

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

async function waitForBound(port: number, child: ChildProcess, output: () => string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the receiver exited (${child.exitCode}) before binding:\n${output()}`);
    const probe = dgram.createSocket('udp4');
    const inUse = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(true));
      probe.bind({ port, address: '0.0.0.0', exclusive: true }, () => resolve(false));
    });
    await new Promise<void>((r) => probe.close(() => r()));
    if (inUse) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing bound UDP port ${port} within ${ms} ms`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

interface Run {
  sent: number;
  received: number;
  cpuPercent: number;
  sendSeconds: number;
  /** Where Lanyard lost them, when it says. */
  where: string;
}

async function runOnce(receiver: 'lanyard' | 'udpdump', rate: number, dir: string): Promise<Run> {
  const port = await freePort();
  const file = path.join(dir, `${receiver}-${rate}.${receiver === 'lanyard' ? 'pcapng' : 'pcap'}`);
  const child =
    receiver === 'lanyard'
      ? spawn(process.execPath, [cli, 'tzsp', 'listen', '--port', String(port), '--bind', '127.0.0.1', '--write', file, '--quiet'], {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, LANYARD_HOME: dir, NO_COLOR: '1' },
        })
      : spawn(udpdump!, ['--extcap-interface', 'udpdump', '--port', String(port), '--payload', 'tzsp', '--fifo', file, '--capture'], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
  let summary = '';
  child.stderr?.on('data', (d: Buffer) => (summary += d.toString()));
  await waitForBound(port, child, () => summary);
  const cpuBefore = cpuSeconds(child.pid!);
  const started = performance.now();
  const sender = spawnSync(process.execPath, [path.join(here, 'captures-sender.ts'), String(port), String(rate), String(seconds)], {
    encoding: 'utf8',
    timeout: (seconds + 30) * 1000,
  });
  await new Promise((r) => setTimeout(r, 500)); // let the receiver drain its socket buffer
  const cpu = cpuSeconds(child.pid!) - cpuBefore;
  const wall = (performance.now() - started) / 1000;
  child.kill(receiver === 'lanyard' ? 'SIGINT' : 'SIGTERM');
  await exited(child);
  const { sent, seconds: sendSeconds } = JSON.parse(sender.stdout.trim().split('\n').at(-1) ?? '{}') as { sent: number; seconds: number };
  return {
    sent,
    received: packetsIn(file),
    cpuPercent: (100 * cpu) / wall,
    sendSeconds,
    where: receiver === 'lanyard' ? lossBreakdown(summary) : '',
  };
}

/** From Lanyard's stop summary: what the kernel dropped (socket buffer full) and what the file output dropped. */
function lossBreakdown(summary: string): string {
  const kernel = /(\d+) dropped by the kernel/.exec(summary)?.[1];
  const output = /→ file .*?: \d+ packets, \d+ bytes, (\d+) dropped/.exec(summary)?.[1];
  return kernel === undefined && output === undefined ? '' : `kernel ${kernel ?? '?'}, output ${output ?? '?'}`;
}

await withTempHome(async (dir) => {
  if (!existsSync(cli)) throw new Error('out/cli.js is missing: npm run bench builds it first');
  process.stdout.write(
    `${rates.map((r) => `${r / 1000}k`).join(', ')} pkt/s × ${seconds} s, 120-byte frames, loopback; receive buffer as granted by net.core.rmem_max = ${readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()}\n`,
  );
  if (!udpdump) process.stdout.write('udpdump is not installed (Debian: wireshark-common): the baseline is skipped\n');
  for (const rate of rates) {
    // Loss on loopback is about CPU: a busy machine (other jobs, a slow sender) shows here first.
    process.stdout.write(`${rate / 1000}k/s — load average ${loadAverage()} on ${os.cpus().length} CPUs\n`);
    const lanyard = await runOnce('lanyard', rate, dir);
    const lanyardLoss = (100 * (lanyard.sent - lanyard.received)) / lanyard.sent;
    const aim = rate <= 50_000 ? 0.001 : 1;
    report(`lanyard ${rate / 1000}k/s loss (sent ${lanyard.sent} in ${lanyard.sendSeconds.toFixed(1)} s)`, lanyardLoss, '%', {
      below: aim,
    });
    report(`lanyard ${rate / 1000}k/s CPU`, lanyard.cpuPercent, '%');
    if (lanyard.where) process.stdout.write(`  lost: ${lanyard.where}\n`);
    if (!udpdump) continue;
    const baseline = await runOnce('udpdump', rate, dir);
    const baselineLoss = (100 * (baseline.sent - baseline.received)) / baseline.sent;
    report(`udpdump ${rate / 1000}k/s loss (sent ${baseline.sent})`, baselineLoss, '%');
    report(`udpdump ${rate / 1000}k/s CPU`, baseline.cpuPercent, '%');
    process.stdout.write(
      `  → ${lanyardLoss <= baselineLoss ? 'lanyard loses no more than udpdump' : 'LANYARD LOSES MORE THAN UDPDUMP'} at ${rate / 1000}k/s\n`,
    );
  }
});
