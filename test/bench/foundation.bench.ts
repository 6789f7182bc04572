// The house itself: how fast the service host and the CLI start, and how heavy the renderer is.
import { fork, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { percentile, report, timeRuns, withTempHome } from './support.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'out');

await withTempHome(async (home) => {
  const env = { ...process.env, LANYARD_HOME: home };

  // Node's own start on this machine, the floor under every figure below.
  const bare = await timeRuns(10, () => spawnSync(process.execPath, ['-e', '0']));
  report('node -e 0 (median of 10, for reference)', percentile(bare, 50), 'ms');

  // In-process: a fresh Node loads the built host and answers a first request, as the CLI does.
  // performance.now() counts from the process's own start, so Node's boot is included.
  // The compile cache is on, as bin.js turns it on for every CLI run.
  const probe = `(await import('node:module')).enableCompileCache();
    const { startInProcess } = await import(${JSON.stringify(path.join(out, 'lib', 'in-process.js'))});
    await startInProcess().api.app.info({}); process.stdout.write(String(performance.now()));`;
  const inProcess: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`in-process probe failed: ${r.stderr}`);
    inProcess.push(Number(r.stdout));
  }
  report(
    'host ready, in-process (median of 5)',
    percentile(
      inProcess.sort((a, b) => a - b),
      50,
    ),
    'ms',
    { below: 150 },
  );

  // Forked: a fresh process from the built bundle until it answers, as Electron's utilityProcess runs it.
  const forked = await timeRuns(
    5,
    () =>
      new Promise<void>((resolve, reject) => {
        const child = fork(path.join(out, 'host.js'), [], { env, stdio: 'ignore' });
        child.once('message', () => {
          child.send({ t: 'req', id: 1, method: 'app.info', params: {} });
          child.once('message', () => {
            child.kill();
            resolve();
          });
        });
        child.once('error', reject);
      }),
  );
  report('host ready, forked (median of 5)', percentile(forked, 50), 'ms', { below: 150 });

  const wall = (args: string[], n: number) =>
    timeRuns(n, () => {
      const r = spawnSync(process.execPath, [path.join(root, 'main', 'cli', 'bin.js'), ...args], { env, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`lanyard ${args.join(' ')} exited ${r.status}`);
    });
  report('lanyard --help (median of 10)', percentile(await wall(['--help'], 10), 50), 'ms', { below: 150 });
  report('lanyard doctor --json (median of 3)', percentile(await wall(['doctor', '--json'], 3), 50), 'ms');

  // The shell is what index.html loads up front; each view's code loads when the view is first opened.
  const rendererDir = path.join(out, 'renderer');
  const html = readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const upFront = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (file: string) => gzipSync(readFileSync(path.join(rendererDir, file)), { level: 9 }).length / 1024;
  const allJs = readdirSync(path.join(rendererDir, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  const allCss = readdirSync(path.join(rendererDir, 'assets'))
    .filter((f) => f.endsWith('.css'))
    .map((f) => `assets/${f}`);
  const sum = (files: string[]) => files.reduce((total, f) => total + gz(f), 0);
  report('renderer: app shell JS loaded up front, gzip', sum(upFront), 'KB', { below: 300 });
  report('renderer: all JS incl. every view, gzip', sum(allJs), 'KB');
  report('renderer: CSS, gzip', sum(allCss), 'KB');
});
