import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { run as runProgram } from '../../system/run.ts';
import { serveUntilStopped } from './serve.ts';
import { parseOptions, type CommandContext, type CommandModule } from '../usage.ts';

type Found = { ok: true; binary: string } | { ok: false; reason: string };

/** The Electron binary npm's `electron` package points at, fetching it once if npm skipped its install script. */
async function findElectron(appRoot: string, download: boolean): Promise<Found> {
  const require = createRequire(path.join(appRoot, 'package.json'));
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the `electron` npm package is not installed' };
  }
  // As electron/index.js does it, without loading the package: dist/ + the name in path.txt.
  const locate = (): string | null => {
    try {
      const binary = path.join(packageDir, 'dist', readFileSync(path.join(packageDir, 'path.txt'), 'utf8'));
      return existsSync(binary) ? binary : null;
    } catch {
      return null;
    }
  };
  const present = locate();
  if (present) return { ok: true, binary: present };
  if (!download) return { ok: false, reason: 'the Electron binary is not installed (and --no-download was given)' };
  // npm ≥ 11 does not run dependencies' install scripts unless allowed, so the binary may never have been fetched.
  process.stdout.write('Fetching the Electron binary (npm skipped its download)…\n');
  const fetched = await runProgram(process.execPath, [path.join(packageDir, 'install.js')], { timeoutMs: 180_000 });
  const after = fetched.code === 0 ? locate() : null;
  if (after) return { ok: true, binary: after };
  const why = (fetched.failure ?? fetched.stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? fetched.stderr.trim().split('\n')[0]) || 'unknown error';
  return { ok: false, reason: `the Electron binary is not installed and downloading it failed (${why.trim()})` };
}

function noDisplay(): boolean {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

export const run: CommandModule['run'] = async (args, context: CommandContext) => {
  const { values } = parseOptions(args, { 'no-download': { type: 'boolean' } });
  const appRoot = path.dirname(context.outDir);
  const electron = await findElectron(appRoot, !values['no-download']);
  const reason = !electron.ok ? electron.reason : noDisplay() ? 'there is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set)' : null;
  if (reason || !electron.ok) {
    process.stdout.write(
      `\nLanyard cannot open its desktop window: ${reason}. This is expected on offline, firewalled or ` +
        'headless machines, and nothing else is affected: Lanyard is starting `lanyard serve --open` instead, the same app and ' +
        'services in your browser, reachable only from this machine and only with the token in the URL below. To get the desktop ' +
        'window later, run `node node_modules/electron/install.js` on a connected machine with a display, then `npm start` again.\n\n',
    );
    return serveUntilStopped({ port: 0, host: '127.0.0.1', open: true }, context);
  }
  const child = spawn(electron.binary, [appRoot], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
};
