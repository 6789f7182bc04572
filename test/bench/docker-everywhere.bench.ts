// Issue 16 bench on a private dockerd: (1) "Debug shell" to a prompt in a shell-less container, through the
// service and a real PTY, against `docker exec -it` into a container that has a shell (the peer, same PTY,
// same run); (2) container and image suggestions with 500 containers and 200 image tags, in-process through
// the Engine API (containers from the event-kept cache, and listed per call), against forking `docker ps -a` /
// `docker images`. LANYARD_BENCH_SHORT=1: fewer rounds.
import { execFile } from 'node:child_process';
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
  const lanyard = startInProcess({ env: { ...engine.env, LANYARD_HOME: path.join(home, 'lanyard'), SHELL: '/bin/sh', HOME: home } });
  try {
    const debug: number[] = [];
    const exec: number[] = [];
    // Alternate the two so machine load falls on both alike.
    for (let i = 0; i < shellRounds; i++) {
      debug.push(
        await toPrompt(
          lanyard,
          () => lanyard.api.docker.debugShell({ container: 'distroless', cols: 120, rows: 40 }),
          /\[debug distroless\] \/ # $/m,
        ),
      );
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
  } finally {
    lanyard.host.close();
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
      await debugShellToPrompt(engine, home);
      await suggestionsAtScale(engine);
    } finally {
      await engine.stop();
    }
  });
