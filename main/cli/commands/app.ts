import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { run as runProgram } from '../../system/run.ts';
import { resolveDataDir } from '../../system/data-dir.ts';
import { findAppBrowser, type AppBrowser, type BrowserLookup } from '../app-browser.ts';
import { launchAppWindow, launcherName, profileFolder, profileOwner, type WindowExit } from '../app-window.ts';
import { writeLauncher } from '../open-browser.ts';
import { keepServing, serveUntilStopped, startServing, stopSignal } from './serve.ts';
import { parseOptions, type CommandContext, type CommandModule } from '../../system/command-line.ts';

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
  const why =
    (fetched.failure ??
      fetched.stderr
        .trim()
        .split('\n')
        .find((l) => /error/i.test(l)) ??
      fetched.stderr.trim().split('\n')[0]) ||
    'unknown error';
  return { ok: false, reason: `the Electron binary is not installed and downloading it failed (${why.trim()})` };
}

const noDisplayReason = 'there is no graphical display here (neither DISPLAY nor WAYLAND_DISPLAY is set)';

function noDisplay(): boolean {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

const loopback = { port: 0, host: '127.0.0.1' };

/** The browser for an app window, or why there is none (one clause, for the line that explains the fallback). */
function appWindowBrowser(dataDir: string): BrowserLookup {
  if (noDisplay()) return { ok: false, reason: noDisplayReason };
  const found = findAppBrowser();
  if (!found.ok) return found;
  const owner = profileOwner(path.join(dataDir, profileFolder));
  if (owner !== null) return { ok: false, reason: `Lanyard's app window is already open (${found.browser.name}, pid ${owner})` };
  return found;
}

function describeExit(exit: WindowExit): string {
  const how = exit.signal ? `was stopped by ${exit.signal}` : exit.code === null ? 'could not start' : `exited with code ${exit.code}`;
  return exit.lastWords ? `${how} (${exit.lastWords})` : how;
}

/**
 * Serve the app to an app window until the window is closed or Lanyard is stopped (which closes the window). A
 * window that ends before its page connected never showed Lanyard: a browser tab takes over.
 */
async function inAppWindow(browser: AppBrowser, dataDir: string, context: CommandContext): Promise<number> {
  const stopped = stopSignal();
  const server = await startServing(loopback, context);
  let connected = false;
  void server.connected.then(() => {
    connected = true;
    process.stdout.write("Lanyard's window is open; closing it, or Ctrl+C here, stops Lanyard.\n");
  });
  // ?window=app: the page says it is the app window, not a tab of `lanyard serve` (renderer/src/api/opened-as.ts).
  const launcher = writeLauncher(dataDir, server.url.replace('/#', '/?window=app#'), launcherName);
  const window = launchAppWindow(browser, launcher, dataDir);
  const ended = await Promise.race([window.exited, stopped.then(() => null)]);
  rmSync(launcher, { force: true });
  if (ended && !connected) {
    process.stdout.write(
      `${browser.name} ${describeExit(ended)} before showing Lanyard: opening a browser tab instead (\`lanyard serve --open\`).\n`,
    );
    return keepServing(server, true, stopped);
  }
  if (!ended) await window.close();
  await server.close();
  process.stdout.write('Lanyard stopped serving.\n');
  return 0;
}

export const run: CommandModule['run'] = async (args, context: CommandContext) => {
  const { values } = parseOptions(args, { 'no-download': { type: 'boolean' } });
  const appRoot = path.dirname(context.outDir);
  const electron = await findElectron(appRoot, !values['no-download']);
  if (electron.ok && !noDisplay()) {
    const child = spawn(electron.binary, [appRoot], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  }
  // Electron → an app window of an installed Chrome-family browser → a browser tab, each step saying why not the one before.
  const reason = !electron.ok ? electron.reason : noDisplayReason;
  process.stdout.write(
    `\nLanyard cannot open its Electron window: ${reason}. This is expected on offline, firewalled or headless machines, ` +
      'and nothing else is affected; to get that window later, run `node node_modules/electron/install.js` on a connected ' +
      'machine, then `npm start` again.\n',
  );
  const dataDir = resolveDataDir().path;
  const window = appWindowBrowser(dataDir);
  if (window.ok) {
    const { name, binary } = window.browser;
    process.stdout.write(
      `Opening Lanyard in an app window of ${name} (${binary}) instead: the same app and services, reachable only from this machine.\n\n`,
    );
    return inAppWindow(window.browser, dataDir, context);
  }
  process.stdout.write(
    `No app window either: ${window.reason}. Starting \`lanyard serve --open\` instead: the same app and services in your browser, ` +
      'reachable only from this machine and only with the token in the URL below.\n\n',
  );
  return serveUntilStopped({ ...loopback, open: true }, context);
};
