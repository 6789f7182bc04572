// `npm test` after the build and Biome: the type check and the test suite at once. tsc runs at a lower priority
// beside Vitest instead of before it: a full check is ~20 s of one core, and the suite leaves some CPU idle while
// its peers (Chromium, dockerd, Caddy…) wait, so the check costs the run next to nothing. Its verdict is printed
// after the suite's; either failing fails the command. Arguments go to Vitest (`npm test -- test/unit`).
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
/** Niceness for tsc: it takes what the suite leaves, and never the core a timing-sensitive test is waiting for. */
const typecheckNiceness = 10;

const exitCode = (child: ChildProcess) =>
  new Promise<number>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (tsc.pid !== undefined) os.setPriority(tsc.pid, typecheckNiceness);
let tscOutput = '';
tsc.stdout!.on('data', (chunk: Buffer) => (tscOutput += chunk));
tsc.stderr!.on('data', (chunk: Buffer) => (tscOutput += chunk));
const typecheck = exitCode(tsc);

const vitestEntry = path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const vitest = spawn(process.execPath, [vitestEntry, 'run', '--config', 'test/vitest.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl+C reaches both from the terminal; a SIGTERM sent to this process alone is passed on.
process.on('SIGTERM', () => {
  tsc.kill('SIGTERM');
  vitest.kill('SIGTERM');
});

const suite = await exitCode(vitest);
const types = await typecheck;
process.stdout.write(types === 0 ? '\nType check (tsc): no errors\n' : `\nType check (tsc) failed:\n${tscOutput}\n`);
process.exit(suite !== 0 ? suite : types);
