// Remote engine bench (issue 16, point 7): container suggestions over ssh:// — Lanyard's pooled ssh (one
// `ssh … docker system dial-stdio` kept open), Lanyard with one ssh per request, and the docker CLI over the same
// ssh (`docker -H ssh://… ps -a`, one fork per suggestion, as navi would) — against a private dockerd behind
// Debian's sshd on loopback, measured in the same run. Aim: Lanyard within 2× the docker CLI (it is far under).
// LANYARD_BENCH_SHORT=1 runs a few rounds only (under a minute on a busy machine).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveDockerEndpoint } from '../../main/docker/endpoint.ts';
import { connectEngine } from '../../main/docker/engine.ts';
import { suggest } from '../../main/docker/suggest.ts';
import { dockerPeers, startTestEngine, testImage } from '../support/dockerd.ts';
import { sshPeers, startSshd } from '../support/sshd.ts';
import { loadAverage, percentile, report, timeRuns } from './support.ts';

const execFileAsync = promisify(execFile);
const short = process.env.LANYARD_BENCH_SHORT === '1';
const containerCount = short ? 20 : 50;
const rounds = { pooled: short ? 10 : 50, perRequest: short ? 3 : 10, cli: short ? 3 : 10 };

if (!dockerPeers() || !sshPeers()) {
  process.stdout.write('skipped: dockerd, docker, busybox, sshd or ssh missing (or not root)\n');
} else {
  const engine = await startTestEngine();
  const sshd = await startSshd({ DOCKER_HOST: engine.host });
  try {
    for (let i = 0; i < containerCount; i++) engine.cli(['create', '--pull=never', '--name', `remote-${i}`, testImage, 'true']);
    const env = { ...engine.env, DOCKER_HOST: sshd.url, PATH: sshd.knownPath };
    const endpoint = resolveDockerEndpoint(env);
    const pooled = connectEngine(endpoint, { env });
    const perRequest = connectEngine(endpoint, { env, pool: false });
    const viaPool = () => suggest(pooled, { kind: 'container', state: 'any' }, env);
    const viaSshEach = () => suggest(perRequest, { kind: 'container', state: 'any' }, env);
    const viaCli = () => execFileAsync(engine.docker, ['ps', '-a', '--format', '{{.Names}}\t{{.Image}}\t{{.Status}}'], { env });
    // Same answer every way, or the comparison means nothing.
    const counts = [(await viaPool()).length, (await viaSshEach()).length, (await viaCli()).stdout.trim().split('\n').length];
    if (counts.some((n) => n !== containerCount))
      throw new Error(`expected ${containerCount} containers each way, got ${counts.join(' / ')}`);
    process.stdout.write(`load average before: ${loadAverage()}\n`);
    const poolTimes = await timeRuns(rounds.pooled, viaPool);
    const eachTimes = await timeRuns(rounds.perRequest, viaSshEach);
    const cliTimes = await timeRuns(rounds.cli, viaCli);
    process.stdout.write(`load average after: ${loadAverage()}\n`);
    report(`ssh:// suggest (${containerCount}), Lanyard pooled p50`, percentile(poolTimes, 50), 'ms');
    report(`ssh:// suggest, Lanyard pooled p95`, percentile(poolTimes, 95), 'ms');
    report(`ssh:// suggest, Lanyard one ssh per request p50`, percentile(eachTimes, 50), 'ms');
    report(`ssh:// docker -H ssh:// ps -a p50 (peer)`, percentile(cliTimes, 50), 'ms');
    report(`ssh:// docker -H ssh:// ps -a p95 (peer)`, percentile(cliTimes, 95), 'ms');
    // "Within 2× the docker CLI": the CLI's time over Lanyard's stays above 0.5.
    report('docker CLI / Lanyard pooled (p50)', percentile(cliTimes, 50) / percentile(poolTimes, 50), 'x', { above: 0.5 });
    report('docker CLI / Lanyard one ssh per request (p50)', percentile(cliTimes, 50) / percentile(eachTimes, 50), 'x', { above: 0.5 });
    report('ssh processes started, pooled', pooled.sshStarted(), '');
    report('ssh processes started, per request', perRequest.sshStarted(), '');
    pooled.dispose();
    perRequest.dispose();
  } finally {
    await sshd.stop();
    await engine.stop();
  }
}
