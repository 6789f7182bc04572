#!/usr/bin/env node
// The `lanyard` command. npm links this file; the real CLI is the bundle `npm run build` writes to out/.
// Plain JavaScript that any Node since 14 can parse: it may be started by an old system Node.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22 && !process.versions.electron) {
  // Started by an older Node (a symlink in ~/.local/bin, `npm link`, `npm install -g .`, or a system `node` first on
  // PATH): run again on the Node 24 this install pins as a dev dependency, with the same arguments, folder and
  // terminal, so `lanyard cert localhost` works in any project folder.
  const pinned = ['node', 'node.exe']
    .map((name) => fileURLToPath(new URL(`../../node_modules/node/bin/${name}`, import.meta.url)))
    .find((file) => existsSync(file));
  if (!pinned || process.env.LANYARD_REEXEC === '1') {
    process.stderr.write(
      `lanyard needs Node 24, but this is Node ${process.versions.node}, and the Node 24 of this install was not found.\n` +
        'Run `npm install` in the Lanyard folder (it brings Node 24), or install Node 24.\n',
    );
    process.exit(1);
  }
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, LANYARD_REEXEC: '1' },
  });
  // The terminal sends Ctrl+C, Ctrl+\ and a hang-up to both processes: the child decides; this one only waits for it.
  for (const signal of ['SIGINT', 'SIGQUIT', 'SIGHUP']) process.on(signal, () => {});
  // SIGTERM goes to this process alone (`kill PID`, Wireshark ending an extcap capture): it is passed on.
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('error', (error) => {
    process.stderr.write(`lanyard: could not start ${pinned}: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (status, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(status ?? 1);
  });
} else {
  // Cache compiled code between runs (Node ≥ 22.1): the CLI starts in a fraction of the time after its first run.
  const { enableCompileCache } = await import('node:module');
  enableCompileCache?.();
  const cli = new URL('../../out/cli.js', import.meta.url);
  if (!existsSync(cli)) {
    process.stderr.write('lanyard is not built yet. Run `npm install` (or `npm run build`) in the Lanyard folder first.\n');
    process.exit(1);
  }
  await import(cli.href);
}
