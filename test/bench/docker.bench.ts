// Docker bench: with 50 containers on a private dockerd, how long a container suggestion takes through the
// Engine API versus forking `docker ps --format` (what navi does), in the same run; and 100 MB of output
// through a real PTY into headless xterm with ack-based flow control: throughput and peak memory.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connectEngine } from '../../main/docker/engine.ts';
import { suggest } from '../../main/docker/suggest.ts';
import { createTerminalManager } from '../../main/terminal/manager.ts';
import { dockerPeers, startTestEngine, testImage } from '../support/dockerd.ts';
import { headlessTerminal } from '../support/xterm.ts';
import { percentile, report, timeRuns, withTempHome } from './support.ts';

const execFileAsync = promisify(execFile);
const containerCount = 50;
const floodBytes = 100 * 1024 * 1024;

async function suggestionLatency(): Promise<void> {
  if (!dockerPeers()) {
    process.stdout.write('skipped: dockerd, docker or busybox missing (or not root)\n');
    return;
  }
  const engine = await startTestEngine();
  try {
    const ids = Array.from({ length: containerCount }, (_, i) =>
      engine.cli(['create', '--pull=never', '--name', `bench-${i}`, testImage, 'sleep', '3600']).trim(),
    );
    engine.cli(['start', ...ids], { timeoutMs: 120_000 });
    const client = connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null });
    const viaApi = () => suggest(client, { kind: 'container', state: 'any' }, engine.env);
    const viaFork = () =>
      execFileAsync(engine.docker, ['ps', '-a', '--format', '{{.Names}}\t{{.Image}}\t{{.Status}}'], { env: engine.env });
    // Same answer both ways, or the comparison means nothing.
    const [api, fork] = [await viaApi(), await viaFork()];
    if (api.length !== containerCount || fork.stdout.trim().split('\n').length !== containerCount)
      throw new Error(`expected ${containerCount} containers, got ${api.length} / ${fork.stdout.trim().split('\n').length}`);
    const apiTimes = await timeRuns(100, viaApi);
    const forkTimes = await timeRuns(30, viaFork);
    report(`suggest container, Engine API (${containerCount}) p50`, percentile(apiTimes, 50), 'ms');
    report(`suggest container, Engine API (${containerCount}) p95`, percentile(apiTimes, 95), 'ms');
    report(`suggest container, fork docker ps p50`, percentile(forkTimes, 50), 'ms');
    report(`suggest container, fork docker ps p95`, percentile(forkTimes, 95), 'ms');
    report('Engine API speed-up over forking (p50 ratio)', percentile(forkTimes, 50) / percentile(apiTimes, 50), 'x', { above: 5 });
  } finally {
    await engine.stop();
  }
}

async function ptyFlood(home: string): Promise<void> {
  const terminals = createTerminalManager({ ...process.env, SHELL: '/bin/sh', HOME: home });
  const term = headlessTerminal(120, 40, 1000);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let maxUnacked = 0;
  let pausedSamples = 0;
  let samples = 0;
  // Lines of text like a busy log, not one endless run of a single byte.
  const command = `yes 'lanyard bench: 2026-11-28T08:00:00Z INFO request handled in 12ms path=/api/v1/items?id=42' | head -c ${floodBytes}`;
  const started = performance.now();
  const session = await terminals.open({ cols: 120, rows: 40, command, cwd: home });
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    maxUnacked = Math.max(maxUnacked, session.flow.unacked);
    samples++;
    if (session.flow.paused) pausedSamples++;
  }, 20);
  let chars = 0;
  await new Promise<void>((resolve, reject) => {
    session.attach(
      (event) => {
        if (event.type === 'exit') return event.code === 0 ? resolve() : reject(new Error(`flood command exited ${event.code}`));
        chars += event.data.length;
        term.write(event.data, () => session.ack(event.data.length));
      },
      () => {},
    );
  });
  // Let xterm finish parsing what it holds.
  await new Promise<void>((resolve) => term.write('', resolve));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  report('PTY → headless xterm, data through', chars / 1024 / 1024, 'MB');
  report('PTY → headless xterm throughput', chars / 1024 / 1024 / seconds, 'MB/s');
  report('PTY → headless xterm peak extra memory (RSS)', (peak - baseline) / 1024 / 1024, 'MB', { below: 200 });
  report('flow control: most chars unacknowledged', maxUnacked, 'chars');
  report('flow control: share of time the PTY was paused', (100 * pausedSamples) / Math.max(1, samples), '%');
  terminals.closeAll();
  term.dispose();
}

await suggestionLatency();
await withTempHome(ptyFlood);
