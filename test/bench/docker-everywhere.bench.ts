// Issue 16 bench on a private dockerd: (1) "Debug shell" to a prompt in a shell-less container, through the
// service and a real PTY, against `docker exec -it` into a container that has a shell (the peer, same PTY,
// same run); (2) container and image suggestions with 500 containers and 200 image tags, in-process through
// the Engine API (containers from the event-kept cache, and listed per call), against forking `docker ps -a` /
// `docker images`. LANYARD_BENCH_SHORT=1: fewer rounds; LANYARD_BENCH_PART=debug or =suggest: that part only.
// The debug shell's steps are timed by a pass-through proxy between the clients and dockerd (both the debug
// shell and the peer go through it): Lanyard's part, the terminal and docker CLI starting, each Engine API call.
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { createContainerCache } from '../../main/docker/container-cache.ts';
import { connectEngine } from '../../main/docker/engine.ts';
import { suggest } from '../../main/docker/suggest.ts';
import { startInProcess, type InProcess } from '../../main/host/in-process.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../support/dockerd.ts';
import { importShellless, shellless } from '../support/shellless-image.ts';
import { attachTerminal, waitForText } from '../support/terminal-attach.ts';
import { loadAverage, percentile, report, timeRuns, withTempHome } from './support.ts';

const execFileAsync = promisify(execFile);
const short = process.env.LANYARD_BENCH_SHORT === '1';
const containerCount = 500;
const imageCount = 200;
const shellRounds = short ? 3 : 10;
const suggestRounds = short ? 20 : 100;
const forkRounds = short ? 5 : 20;
const part = process.env.LANYARD_BENCH_PART ?? 'all';

/** A unix socket passing everything to dockerd, noting when each request starts and its answer's head arrives. */
async function timingProxy(target: string, dir: string): Promise<{ host: string; marks: { at: number; what: string }[]; close(): void }> {
  const marks: { at: number; what: string }[] = [];
  const socket = path.join(dir, 'timing-proxy.sock');
  const server = net.createServer((client) => {
    const upstream = net.connect(target.replace(/^unix:\/\//, ''));
    const note = (arrow: string) => (chunk: Buffer) => {
      const line = chunk.subarray(0, 120).toString('latin1').split('\r\n')[0]!;
      if (/^(?:[A-Z]+ \/|HTTP\/1)/.test(line)) marks.push({ at: performance.now(), what: `${arrow} ${line}` });
    };
    client.on('data', note('->'));
    upstream.on('data', note('<-'));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { host: `unix://${socket}`, marks, close: () => server.close() };
}

/** ms between the debug shell asked for and each step, from the proxy's marks. */
function debugSteps(started: number, opened: number, prompt: number, marks: { at: number; what: string }[]): Record<string, number> {
  const find = (pattern: RegExp, after = started) => marks.find((m) => m.at >= after && pattern.test(m.what))?.at ?? Number.NaN;
  const ping = find(/^-> HEAD \/_ping/, opened);
  const create = find(/^-> POST \/v[\d.]+\/containers\/create/, opened);
  const created = find(/^<- HTTP\/1\.1 201/, create);
  const start = find(/^-> POST \/v[\d.]+\/containers\/\w+\/start/, created);
  const startedAnswer = find(/^<- HTTP\/1\.1 204/, start);
  return {
    'Lanyard: plan, tab open': opened - started,
    'tab + docker CLI start': ping - opened,
    'engine: create': created - create,
    'CLI: attach, wait': start - created,
    'engine: start (runc)': startedAnswer - start,
    'start to prompt': prompt - start,
  };
}

/** ms from asking for a terminal to its prompt on screen; the shell then exits. */
async function toPrompt(lanyard: InProcess, open: () => Promise<{ terminal: { id: string } }>, prompt: RegExp): Promise<number> {
  const started = performance.now();
  const { terminal } = await open();
  const tab = attachTerminal(lanyard, terminal.id);
  try {
    await waitForText(tab.term, prompt, 30_000);
    const elapsed = performance.now() - started;
    await lanyard.api.terminal.input({ id: terminal.id, data: 'exit\r' });
    await tab.exit;
    return elapsed;
  } finally {
    tab.stop();
  }
}

async function debugShellToPrompt(engine: TestEngine, home: string): Promise<void> {
  importShellless(engine, dockerPeers()!.busybox, home);
  engine.cli(['run', '--pull=never', '-d', '--name', 'distroless', shellless]);
  engine.cli(['run', '--pull=never', '-d', '--name', 'with-shell', testImage, 'sleep', '3600']);
  const proxy = await timingProxy(engine.host, home);
  const env = { ...engine.env, DOCKER_HOST: proxy.host, LANYARD_HOME: path.join(home, 'lanyard'), SHELL: '/bin/sh', HOME: home };
  const lanyard = startInProcess({ env });
  try {
    const debug: number[] = [];
    const exec: number[] = [];
    const steps: Record<string, number[]> = {};
    // Alternate the two so machine load falls on both alike.
    for (let i = 0; i < shellRounds; i++) {
      proxy.marks.length = 0;
      let opened = 0;
      const started = performance.now();
      const ms = await toPrompt(
        lanyard,
        async () => {
          const answer = await lanyard.api.docker.debugShell({ container: 'distroless', cols: 120, rows: 40 });
          opened = performance.now();
          return answer;
        },
        /\[debug distroless\] \/ # $/m,
      );
      debug.push(ms);
      for (const [step, value] of Object.entries(debugSteps(started, opened, started + ms, proxy.marks))) (steps[step] ??= []).push(value);
      exec.push(
        await toPrompt(
          lanyard,
          async () => ({
            terminal: await lanyard.api.terminal.open({
              cols: 120,
              rows: 40,
              cwd: home,
              command: 'docker exec -it -e PS1=peer# with-shell sh',
            }),
          }),
          /^peer#\s*$/m,
        ),
      );
    }
    debug.sort((a, b) => a - b);
    exec.sort((a, b) => a - b);
    report('Debug shell to prompt, shell-less (p50)', percentile(debug, 50), 'ms', { below: 1500 });
    report('Debug shell to prompt, shell-less (max)', debug.at(-1)!, 'ms');
    report('peer: docker exec -it sh to prompt (p50)', percentile(exec, 50), 'ms');
    for (const [step, values] of Object.entries(steps))
      report(
        `  step ${step} p50`,
        percentile(
          values.sort((a, b) => a - b),
          50,
        ),
        'ms',
      );
  } finally {
    lanyard.host.close();
    proxy.close();
  }
}

async function suggestionsAtScale(engine: TestEngine): Promise<void> {
  const client = connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null });
  // Made through the Engine API, 25 at a time: forking `docker create` 500 times would take minutes here.
  for (let i = 0; i < containerCount; i += 25)
    await Promise.all(
      Array.from({ length: Math.min(25, containerCount - i) }, (_, j) =>
        client.json(
          'POST',
          '/containers/create',
          { name: `scale-${i + j}` },
          { Image: testImage, Cmd: ['sleep', '3600'], HostConfig: { NetworkMode: 'none' } },
        ),
      ),
    );
  for (let i = 0; i < imageCount; i += 25)
    await Promise.all(
      Array.from({ length: Math.min(25, imageCount - i) }, (_, j) =>
        client.json('POST', `/images/${encodeURIComponent(testImage)}/tag`, { repo: `scale/image-${i + j}`, tag: 'v1' }),
      ),
    );
  const cache = createContainerCache(client);
  const containers = () => suggest(client, { kind: 'container', state: 'any' }, engine.env, cache);
  const listing = () => suggest(client, { kind: 'container', state: 'any' }, engine.env);
  const images = () => suggest(client, { kind: 'image' }, engine.env);
  const forkPs = () => execFileAsync(engine.docker, ['ps', '-a', '--format', '{{.Names}}\t{{.Image}}\t{{.Status}}'], { env: engine.env });
  const forkImages = () =>
    execFileAsync(engine.docker, ['images', '--format', '{{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.Size}}'], { env: engine.env });
  // Same answer both ways, or the comparison means nothing.
  const [c, p, im, fi] = [await containers(), await forkPs(), await images(), await forkImages()];
  const forkLines = (out: { stdout: string }) => out.stdout.trim().split('\n').length;
  if (c.length < containerCount || forkLines(p) !== c.length) throw new Error(`containers: ${c.length} via API, ${forkLines(p)} forked`);
  if (im.length < imageCount || forkLines(fi) !== im.length) throw new Error(`images: ${im.length} via API, ${forkLines(fi)} forked`);
  const apiContainers = await timeRuns(suggestRounds, containers);
  const listed = await timeRuns(forkRounds, listing);
  // The cache must still be right: a container made now is suggested once its event is in.
  await client.json('POST', '/containers/create', { name: 'scale-late' }, { Image: testImage, Cmd: ['true'] });
  const started = performance.now();
  while (!(await containers()).some((s) => s.value === 'scale-late')) {
    if (performance.now() - started > 5000) throw new Error('the cache never saw scale-late');
    await new Promise((r) => setTimeout(r, 5));
  }
  const eventToSuggestion = performance.now() - started;
  cache.close();
  const apiImages = await timeRuns(suggestRounds, images);
  const forkContainers = await timeRuns(forkRounds, forkPs);
  const forkedImages = await timeRuns(forkRounds, forkImages);
  report(`suggest container (${c.length}) in-process p50`, percentile(apiContainers, 50), 'ms', { below: 20 });
  report(`suggest container (${c.length}) in-process p95`, percentile(apiContainers, 95), 'ms');
  report(`suggest container, listing per call p50`, percentile(listed, 50), 'ms');
  report(`peer: fork docker ps -a (${c.length}) p50`, percentile(forkContainers, 50), 'ms');
  report('new container in suggestions after', eventToSuggestion, 'ms');
  report(`suggest image (${im.length}) in-process p50`, percentile(apiImages, 50), 'ms', { below: 20 });
  report(`peer: fork docker images (${im.length}) p50`, percentile(forkedImages, 50), 'ms');
}

if (!dockerPeers()) process.stdout.write('skipped: dockerd, docker or busybox missing (or not root)\n');
else
  await withTempHome(async (home) => {
    process.stdout.write(`load average ${loadAverage()}${short ? ' (short variant)' : ''}\n`);
    const engine = await startTestEngine();
    try {
      if (part !== 'suggest') await debugShellToPrompt(engine, home);
      if (part !== 'debug') await suggestionsAtScale(engine);
    } finally {
      await engine.stop();
    }
  });
