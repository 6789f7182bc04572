// Lanyard in an app-mode window of an installed Chromium-family browser, for `lanyard app` where Electron cannot
// start: no tabs or address bar, a profile of Lanyard's own, and the token kept out of argv as `serve --open` does
// (the browser is given the path of a 0600 launcher file that forwards to the URL, token in its fragment).
import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensurePrivateDir } from '../system/data-dir.ts';
import type { AppBrowser } from './app-browser.ts';
import { processAlive } from '../system/process-alive.ts';

/** The window's profile, under the data folder: settings, window size and the page's storage stay apart from the user's browsing. */
export const profileFolder = 'app-window-profile';
/** One launcher name for every run: Chrome names the app (and keys the window's remembered size) after the --app URL. */
export const launcherName = 'app-window.html';

/** The browser's switches for a calm window of Lanyard's own. */
export function appWindowArgs(launcher: string, profile: string, platform: NodeJS.Platform = process.platform): string[] {
  return [
    `--app=${pathToFileURL(launcher).href}`,
    `--user-data-dir=${profile}`,
    // X11's WM_CLASS: docks and window lists show it as Lanyard, not as one more browser window.
    '--class=Lanyard',
    '--no-first-run',
    '--no-default-browser-check',
    '--hide-crash-restore-bubble',
    // A new profile would otherwise ask the desktop keyring for a password to encrypt cookies Lanyard never sets.
    ...(platform === 'linux' ? ['--password-store=basic'] : []),
  ];
}

/**
 * The pid of a browser already running on the profile, or null. Chrome's SingletonLock is a symbolic link to
 * "<host>-<pid>" (Linux, macOS); a second browser on the same profile hands its window to the first and exits.
 */
export function profileOwner(profile: string): number | null {
  let target: string;
  try {
    target = readlinkSync(path.join(profile, 'SingletonLock'));
  } catch {
    return null;
  }
  const dash = target.lastIndexOf('-');
  const pid = Number(target.slice(dash + 1));
  if (dash < 1 || target.slice(0, dash) !== os.hostname() || !Number.isSafeInteger(pid) || pid <= 0) return null;
  return processAlive(pid) ? pid : null;
}

export interface WindowExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The browser's last line on stderr, or why it could not start: for the one line that explains a fallback. */
  lastWords: string;
}

export interface AppWindow {
  /** Settles when the browser process ends: its window was closed, it was stopped, or it failed. */
  exited: Promise<WindowExit>;
  /** Ask the browser to close its window (SIGTERM, which Chrome handles as a normal quit); kill it if it lingers. */
  close(): Promise<WindowExit>;
}

/** How much of the browser's stderr is kept: enough for its last line, whatever it prints before. */
const stderrTailChars = 4096;
/** How long a browser gets to quit after SIGTERM before it is killed. */
export const closeGraceMs = 5000;

/** Start the browser on the launcher with a profile under dataDir (created 0700). */
export function launchAppWindow(browser: AppBrowser, launcher: string, dataDir: string): AppWindow {
  const profile = path.join(dataDir, profileFolder);
  ensurePrivateDir(profile);
  const child = spawn(browser.binary, appWindowArgs(launcher, profile), { stdio: ['ignore', 'ignore', 'pipe'] });
  let tail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (tail = (tail + chunk).slice(-stderrTailChars)));
  // Chrome's log lines open with "[pid:tid:time:LEVEL:file(line)] ": the message is what follows.
  const lastLine = () => {
    const line = tail.trimEnd().split('\n').pop()?.trim() ?? '';
    const prefixEnd = line.startsWith('[') ? line.indexOf('] ') : -1;
    return line.slice(prefixEnd + (prefixEnd >= 0 ? 2 : 0)).slice(0, 200);
  };
  const exited = new Promise<WindowExit>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, lastWords: error.message }));
    // 'exit', not 'close': the browser's helpers may hold its stderr open a moment longer.
    child.once('exit', (code, signal) => resolve({ code, signal, lastWords: lastLine() }));
  });
  return {
    exited,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), closeGraceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}
