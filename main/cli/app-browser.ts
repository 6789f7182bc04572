// Which installed Chromium-family browser can host Lanyard's app window (`--app=`), per platform. Chrome first (the
// most common), then Chromium, Edge and Brave: all take the same switches.
import { closeSync, existsSync, openSync, readSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { which } from '../system/which.ts';

export interface AppBrowser {
  name: string;
  binary: string;
}

export type BrowserLookup = { ok: true; browser: AppBrowser } | { ok: false; reason: string };

/** Commands on PATH, in order of preference (Linux and other Unix desktops). */
const linuxCommands: [name: string, command: string][] = [
  ['Google Chrome', 'google-chrome-stable'],
  ['Google Chrome', 'google-chrome'],
  ['Chromium', 'chromium'],
  ['Chromium', 'chromium-browser'],
  ['Microsoft Edge', 'microsoft-edge-stable'],
  ['Microsoft Edge', 'microsoft-edge'],
  ['Brave', 'brave-browser'],
];

/** Bundles under /Applications (and ~/Applications): the executable inside Contents/MacOS. */
const macBundles: [name: string, bundle: string, executable: string][] = [
  ['Google Chrome', 'Google Chrome.app', 'Google Chrome'],
  ['Chromium', 'Chromium.app', 'Chromium'],
  ['Microsoft Edge', 'Microsoft Edge.app', 'Microsoft Edge'],
  ['Brave', 'Brave Browser.app', 'Brave Browser'],
];

/** Where each installer puts the executable, under Program Files (machine-wide) or LOCALAPPDATA (per user). */
const windowsInstalls: [name: string, relative: string][] = [
  ['Google Chrome', 'Google\\Chrome\\Application\\chrome.exe'],
  ['Chromium', 'Chromium\\Application\\chrome.exe'],
  ['Microsoft Edge', 'Microsoft\\Edge\\Application\\msedge.exe'],
  ['Brave', 'BraveSoftware\\Brave-Browser\\Application\\brave.exe'],
];

/** Every place a browser could be, in order of preference, for this platform. */
export function candidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string = os.homedir()): AppBrowser[] {
  if (platform === 'darwin') {
    const roots = ['/Applications', path.join(home, 'Applications')];
    return macBundles.flatMap(([name, bundle, executable]) =>
      roots.map((root) => ({ name, binary: path.join(root, bundle, 'Contents', 'MacOS', executable) })),
    );
  }
  if (platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    return windowsInstalls.flatMap(([name, relative]) => roots.map((root) => ({ name, binary: path.win32.join(root, relative) })));
  }
  return linuxCommands.flatMap(([name, command]) => {
    const binary = which(command, env);
    return binary ? [{ name, binary }] : [];
  });
}

/**
 * A snap's confinement hides dot-folders of $HOME (where Lanyard's data folder and so the launcher and profile
 * live), so a snap browser would open an error page. Ubuntu's chromium is /snap/bin/chromium, a link to
 * /usr/bin/snap; its chromium-browser is a script that runs that.
 */
function isSnap(binary: string): boolean {
  try {
    const real = realpathSync(binary);
    if (binary.startsWith('/snap/') || real.startsWith('/snap/') || path.basename(real) === 'snap') return true;
    const fd = openSync(real, 'r');
    try {
      const head = Buffer.alloc(4096);
      const text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('latin1');
      return text.startsWith('#!') && text.includes('/snap/bin/');
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The first usable browser, or why there is none. */
export function findAppBrowser(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home?: string,
): BrowserLookup {
  const present = candidates(platform, env, home).filter((c) => existsSync(c.binary));
  const usable = present.find((c) => !isSnap(c.binary));
  if (usable) return { ok: true, browser: usable };
  if (present.length > 0) {
    return { ok: false, reason: `only a snap browser was found (${present[0]!.binary}), and a snap cannot read Lanyard's data folder` };
  }
  return { ok: false, reason: 'no Chrome, Chromium, Edge or Brave is installed' };
}
