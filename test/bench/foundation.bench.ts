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
  const probe = `const { startInProcess } = await import(${JSON.stringify(path.join(out, 'lib', 'in-process.js'))});
    await startInProcess().api.app.info({}); process.stdout.write(String(performance.now()));`;
  const inProcess: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`in-process probe failed: ${r.stderr}`);
    inProcess.push(Number(r.stdout));
  }
  report('host ready, in-process (median of 5)', percentile(inProcess.sort((a, b) => a - b), 50), 'ms', { below: 150 });

  // Forked: a fresh process from the built bundle until it answers, as Electron's utilityProcess runs it.
  const forked = await timeRuns(5, () => new Promise<void>((resolve, reject) => {
    const child = fork(path.join(out, 'host.js'), [], { env, stdio: 'ignore' });
    child.once('message', () => {
      child.send({ t: 'req', id: 1, method: 'app.info', params: {} });
      child.once('message', () => {
        child.kill();
        resolve();
      });
    });
    child.once('error', reject);
  }));
  report('host ready, forked (median of 5)', percentile(forked, 50), 'ms', { below: 150 });

  const wall = (args: string[], n: number) =>
    timeRuns(n, () => {
      const r = spawnSync(process.execPath, [path.join(root, 'main', 'cli', 'bin.js'), ...args], { env, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`lanyard ${args.join(' ')} exited ${r.status}`);
    });
  report('lanyard --help (median of 10)', percentile(await wall(['--help'], 10), 50), 'ms', { below: 150 });
  report('lanyard doctor --json (median of 3)', percentile(await wall(['doctor', '--json'], 3), 50), 'ms');

  const assets = path.join(out, 'renderer', 'assets');
  const gzipped = (ext: string) => readdirSync(assets).filter((f) => f.endsWith(ext)).reduce((sum, f) => sum + gzipSync(readFileSync(path.join(assets, f)), { level: 9 }).length, 0) / 1024;
  report('renderer JS, gzip', gzipped('.js'), 'KB', { below: 300 });
  report('renderer CSS, gzip', gzipped('.css'), 'KB');
});
