// Calls bench (a): a generated capture of N SIP calls with RTP (LANYARD_BENCH_CALLS, 20,000 by default; each
// answered call has 25 RTP packets each way), the time to the full call list — `lanyard calls list FILE --json`
// — against `tshark -q -z sip,stat` on the same file, and both processes' peak memory (max RSS, /usr/bin/time).
// Wall time and CPU time (user + system) both, since on a shared machine wall time is mostly waiting for a core.
// LANYARD_BENCH_RUNS rounds (3), each running every side once in turn (so load changes hit them alike); the best
// wall and the best CPU of each side count. Both print their SIP message count to check they read the same thing.
// Then the start-up: the same commands on a one-call file. LANYARD_BENCH_BASELINE=path/to/another/out/cli.js adds
// that build as a third side (before/after in one run, alternating).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCallCapture } from '../support/call-capture.ts';
import { loadAverage, report, withTempHome } from './support.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, '..', '..', 'out', 'cli.js');
const calls = Number(process.env.LANYARD_BENCH_CALLS ?? 20_000);
const runs = Number(process.env.LANYARD_BENCH_RUNS ?? 3);

interface Run {
  seconds: number;
  /** User + system CPU: on a shared machine the fairer figure, as waiting for a core is not work. */
  cpuSeconds: number;
  maxRssMb: number;
  stdout: string;
}

interface Side {
  name: string;
  command: string;
  args: (file: string) => string[];
}

/** One timed run under /usr/bin/time: wall and CPU seconds and max RSS. */
function timed(command: string, args: string[]): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const [seconds, user, system, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds: seconds!, cpuSeconds: user! + system!, maxRssMb: kb! / 1024, stdout: r.stdout };
}

/** Every side once per round, in turn; per side the best wall time, the best CPU time, the largest RSS, the last output. */
function rounds(sides: Side[], file: string, n: number): Map<string, Run> {
  const best = new Map<string, Run>();
  for (let i = 0; i < n; i++)
    for (const side of sides) {
      const run = timed(side.command, side.args(file));
      const so = best.get(side.name);
      best.set(
        side.name,
        so
          ? {
              seconds: Math.min(so.seconds, run.seconds),
              cpuSeconds: Math.min(so.cpuSeconds, run.cpuSeconds),
              maxRssMb: Math.max(so.maxRssMb, run.maxRssMb),
              stdout: run.stdout,
            }
          : run,
      );
    }
  return best;
}

if (!existsSync(cli)) throw new Error('build first: npx node main/build/build.ts --quiet');
const baseline = process.env.LANYARD_BENCH_BASELINE;
const sides: Side[] = [
  { name: 'lanyard', command: process.execPath, args: (f) => [cli, 'calls', 'list', f, '--json'] },
  { name: 'tshark', command: 'tshark', args: (f) => ['-r', f, '-q', '-z', 'sip,stat'] },
  ...(baseline ? [{ name: 'baseline', command: process.execPath, args: (f: string) => [baseline, 'calls', 'list', f, '--json'] }] : []),
];

await withTempHome(async (home) => {
  const file = path.join(home, 'calls.pcapng');
  const made = writeCallCapture(file, { calls });
  process.stdout.write(
    `capture: ${calls} calls, ${made.sipMessages} SIP messages, ${made.rtpPackets} RTP packets, ${(statSync(file).size / 1e6).toFixed(1)} MB; load ${loadAverage()}\n`,
  );
  const best = rounds(sides, file, runs);
  const lanyard = best.get('lanyard')!;
  const tshark = best.get('tshark')!;
  const ours = JSON.parse(lanyard.stdout) as { calls: unknown[]; counters: { sipMessages: number } };
  const theirs = Number(/Number of SIP messages: (\d+)/.exec(tshark.stdout)?.[1]);
  if (ours.counters.sipMessages !== theirs || ours.calls.length !== calls)
    throw new Error(`the two disagree: Lanyard ${ours.counters.sipMessages} messages in ${ours.calls.length} calls, tshark ${theirs}`);
  report('lanyard calls list: time to the full list', lanyard.seconds, 's');
  report('tshark -z sip,stat: same file', tshark.seconds, 's');
  report('lanyard / tshark time', lanyard.seconds / tshark.seconds, '×', { below: 0.5 });
  report('lanyard calls list: CPU (user + system)', lanyard.cpuSeconds, 's');
  report('tshark -z sip,stat: CPU (user + system)', tshark.cpuSeconds, 's');
  report('lanyard / tshark CPU', lanyard.cpuSeconds / tshark.cpuSeconds, '×', { below: 0.5 });
  report('lanyard peak memory (max RSS)', lanyard.maxRssMb, 'MB');
  report('tshark peak memory (max RSS)', tshark.maxRssMb, 'MB');
  const before = best.get('baseline');
  if (before) {
    report('baseline calls list: time (same rounds)', before.seconds, 's');
    report('baseline calls list: CPU', before.cpuSeconds, 's');
    report('baseline peak memory (max RSS)', before.maxRssMb, 'MB');
  }

  const small = path.join(home, 'one-call.pcapng');
  writeCallCapture(small, { calls: 1 });
  const startup = rounds(sides, small, runs);
  report('start-up: lanyard calls list, one call', startup.get('lanyard')!.seconds, 's');
  report('start-up: tshark -z sip,stat, one call', startup.get('tshark')!.seconds, 's');
  report('start-up: lanyard CPU', startup.get('lanyard')!.cpuSeconds, 's');
  report('start-up: tshark CPU', startup.get('tshark')!.cpuSeconds, 's');
  const startupBefore = startup.get('baseline');
  if (startupBefore) report('start-up: baseline CPU', startupBefore.cpuSeconds, 's');
  process.stdout.write(`load after: ${loadAverage()}\n`);
});
