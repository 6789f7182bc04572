// Calls bench (a): a generated capture of N SIP calls with RTP (LANYARD_BENCH_CALLS, 20,000 by default; each
// answered call has 25 RTP packets each way), the time to the full call list — `lanyard calls list FILE --json`
// — against `tshark -q -z sip,stat` on the same file, and both processes' peak memory (max RSS, /usr/bin/time).
// Wall time and CPU time (user + system) both, since on a shared machine wall time is mostly waiting for a core.
// Each side runs LANYARD_BENCH_RUNS times (3), the fastest counts; both print their SIP message count to check
// they read the same thing.
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

/** One timed run under /usr/bin/time: wall seconds and max RSS. */
function timed(command: string, args: string[]): Run {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.slice(-2000)}`);
  const [seconds, user, system, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds: seconds!, cpuSeconds: user! + system!, maxRssMb: kb! / 1024, stdout: r.stdout };
}

function best(command: string, args: string[]): Run {
  let fastest: Run | null = null;
  for (let i = 0; i < runs; i++) {
    const run = timed(command, args);
    if (!fastest || run.seconds < fastest.seconds) fastest = run;
  }
  return fastest!;
}

if (!existsSync(cli)) throw new Error('build first: npx node main/build/build.ts --quiet');
await withTempHome(async (home) => {
  const file = path.join(home, 'calls.pcapng');
  const made = writeCallCapture(file, { calls });
  process.stdout.write(
    `capture: ${calls} calls, ${made.sipMessages} SIP messages, ${made.rtpPackets} RTP packets, ${(statSync(file).size / 1e6).toFixed(1)} MB; load ${loadAverage()}\n`,
  );
  const lanyard = best(process.execPath, [cli, 'calls', 'list', file, '--json']);
  const tshark = best('tshark', ['-r', file, '-q', '-z', 'sip,stat']);
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
});
