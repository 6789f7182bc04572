// Hand `lanyard serve`'s URL to the desktop's browser without putting its token in any argv: every local user can
// read a process's arguments (`ps`), so the browser is given the path of a launcher page instead, a 0600 file in
// the 0700 data folder that forwards to the URL. The token stays in its fragment, which browsers never send.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../system/data-dir.ts';
import { which } from '../system/which.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The launcher page: forwards at once, with a link for a browser that does not follow meta refresh. */
export function launcherPage(url: string): string {
  const href = escapeHtml(url);
  return `<!doctype html>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${href}">
<title>Opening Lanyard…</title>
<p><a href="${href}">Open Lanyard</a></p>
`;
}

/**
 * Write the launcher under dir: a fresh random name, or the given one (a stale file of that name is removed first),
 * created exclusively (a planted file or symlink makes it fail, never followed), readable by the owner only.
 * Returns its path.
 */
export function writeLauncher(dir: string, url: string, name?: string): string {
  ensurePrivateDir(dir);
  const file = path.join(dir, name ?? `open-${randomBytes(8).toString('hex')}.html`);
  if (name) rmSync(file, { force: true });
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, launcherPage(url));
  } finally {
    closeSync(fd);
  }
  return file;
}

/** The program that opens a file in a browser: $BROWSER when set (the convention xdg-open and SSH/remote setups use), else the desktop's opener. */
function opener(file: string, env: NodeJS.ProcessEnv): { program: string; args: string[] } | null {
  if (env.BROWSER) return { program: env.BROWSER, args: [file] };
  if (process.platform === 'darwin') return { program: 'open', args: [file] };
  if (process.platform === 'win32') return { program: 'cmd', args: ['/c', 'start', '""', file] };
  if (!which('xdg-open') || (!env.DISPLAY && !env.WAYLAND_DISPLAY)) return null;
  return { program: 'xdg-open', args: [file] };
}

/**
 * Open the URL in a browser through a launcher file in dataDir; say so plainly when there is no browser.
 * Returns a function that removes the launcher (call it when the server stops; the token dies with it anyway).
 */
export async function openInBrowser(url: string, dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<() => void> {
  const file = writeLauncher(dataDir, url);
  const remove = () => rmSync(file, { force: true });
  const how = opener(file, env);
  if (!how) {
    remove();
    process.stdout.write('No desktop browser to open here: copy the URL above into a browser.\n');
    return () => {};
  }
  await new Promise<void>((resolve) => {
    const child = spawn(how.program, how.args, { stdio: 'ignore', detached: true });
    child.on('error', () => {
      process.stdout.write('Could not open a browser: copy the URL above into one.\n');
      resolve();
    });
    child.on('spawn', () => {
      child.unref();
      resolve();
    });
  });
  return remove;
}
