// `lanyard app` where Electron cannot start (issue 12 point 8): an app-mode window of Debian's chromium on a real X
// server (Xvfb), found by its title and WM_CLASS, screenshotted, its token in no process's argv, and its lifetime
// tied to the server's both ways. Chromium will not start as root with its sandbox, so as root the CLI is run as
// `nobody`, as a desktop user would run it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { which } from '../../../main/system/which.ts';
import { cliBundle, nodeBin, testOutput } from '../../support/paths.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const chromiumPath = findPeer('chromium', 'apt-get install chromium');
const xvfbPath = findPeer('Xvfb', 'apt-get install xvfb');
const xdotoolPath = findPeer('xdotool', 'apt-get install xdotool');
const importPath = findPeer('import', 'apt-get install imagemagick');
const asRoot = process.getuid?.() === 0;
const nobody = 65534;

/** Start Xvfb on a display it picks itself (-displayfd), so parallel runs never collide. */
function startXvfb(): Promise<{ display: string; stop: () => void }> {
  const xvfb = spawn(xvfbPath!, ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let said = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Xvfb named no display within 10 s')), 10_000);
    xvfb.stdio[3]!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      if (!said.includes('\n')) return;
      clearTimeout(timer);
      resolve({ display: `:${said.trim()}`, stop: () => xvfb.kill('SIGTERM') });
    });
    xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
}

interface AppRun {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** The built CLI, as a user runs it (as nobody when the tests run as root), with its output collected. */
function lanyardApp(env: NodeJS.ProcessEnv): AppRun {
  const command = [nodeBin, cliBundle, 'app', '--no-download'];
  const [program, ...args] = asRoot
    ? [which('setpriv')!, `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--', ...command]
    : command;
  const child = spawn(program!, args, { env: { ...process.env, WAYLAND_DISPLAY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** A data folder (and HOME, where Chromium keeps its crash database) the CLI's user owns. */
function userHome(): string {
  const home = tempDir();
  if (asRoot) chownSync(home, nobody, nobody);
  return home;
}

const tokenOf = (output: string) => /#token=([\w-]+)/.exec(output)?.[1];
const portOf = (output: string) => Number(/http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1]);

function xdotool(display: string, ...args: string[]): string {
  try {
    return execFileSync(xdotoolPath!, args, { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' }).trim();
  } catch {
    return ''; // `search` exits 1 when nothing matches
  }
}

/** Every process's argv on this machine that mentions the text. */
function argvHolding(text: string): string[] {
  const holders: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (argv.includes(text)) holders.push(`${pid}: ${argv.replaceAll('\0', ' ')}`);
    } catch {
      // gone meanwhile
    }
  }
  return holders;
}

function portRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

const opened = "Lanyard's window is open";

describe.skipIf(!chromiumPath || !xvfbPath || !xdotoolPath || !importPath)('lanyard app in an app window of Chromium', () => {
  let x: { display: string; stop: () => void };
  const runs: AppRun[] = [];
  const home = userHome();

  beforeAll(async () => {
    x = await startXvfb();
  });
  // A failed assertion must not leave the server running; Xvfb going takes any window with it.
  afterEach(() => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
  });
  afterAll(() => x?.stop());

  async function openWindow(): Promise<{ run: AppRun; window: string; token: string; port: number }> {
    const run = lanyardApp({ LANYARD_HOME: home, HOME: home, DISPLAY: x.display, BROWSER: '' });
    runs.push(run);
    // The server saw the page's WebSocket arrive with the token: the window loaded the app and got in.
    await expect.poll(run.output, { timeout: 45_000, interval: 200 }).toContain(opened);
    const output = run.output();
    expect(output).toMatch(/^Opening Lanyard in an app window of Chromium \(.+\) instead/m);
    let window = '';
    await expect
      .poll(() => (window = xdotool(x.display, 'search', '--onlyvisible', '--name', '^Lanyard$')), { timeout: 10_000 })
      .toMatch(/^\d+$/);
    return { run, window, token: tokenOf(output)!, port: portOf(output) };
  }

  it('opens a window titled and classed Lanyard that shows the app, with the token in no argv; closing it stops the server', async () => {
    const { run, window, token, port } = await openWindow();
    expect(token).toBeTruthy();
    // WM_CLASS is Lanyard's own (docks group it apart from the browser).
    expect(xdotool(x.display, 'search', '--onlyvisible', '--class', '^Lanyard$').split('\n')).toContain(window);
    // No tab strip or address bar: the window's title is the page's, and the screenshot shows the app (kept for a human look).
    mkdirSync(testOutput, { recursive: true });
    const shot = path.join(testOutput, 'app-window.png');
    execFileSync(importPath!, ['-display', x.display, '-window', 'root', shot]);
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    const colours = Number(execFileSync('identify', ['-format', '%k', shot], { encoding: 'utf8' }));
    expect(colours, 'a rendered page, not an empty screen').toBeGreaterThan(100);
    // The token went by the launcher file and the fragment: not one process on the machine has it in its arguments.
    expect(argvHolding(token)).toEqual([]);
    const profile = path.join(home, 'app-window-profile');
    expect(statSync(profile).mode & 0o777).toBe(0o700);
    expect(argvHolding(`--user-data-dir=${profile}`).length, 'the browser runs on its own profile').toBeGreaterThan(0);
    // The user closes the window (Ctrl+W, as from the keyboard): Lanyard stops and says so.
    const browserPid = Number(xdotool(x.display, 'getwindowpid', window));
    xdotool(x.display, 'windowfocus', '--sync', window);
    xdotool(x.display, 'key', 'ctrl+w');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Lanyard stopped serving.');
    expect(await portRefused(port)).toBe(true);
    expect(existsSync(path.join(home, 'app-window.html')), 'the launcher goes with the server').toBe(false);
    expect(existsSync(`/proc/${browserPid}`)).toBe(false);
  }, 90_000);

  it('closes its window when stopped with SIGTERM (as Ctrl+C does), on the profile the first run left; a second run meanwhile gets a tab', async () => {
    const { run, window, port } = await openWindow();
    const browserPid = Number(xdotool(x.display, 'getwindowpid', window));
    // The profile is taken: a second browser on it would hand its window to the first and exit, so a tab it is.
    const second = lanyardApp({ LANYARD_HOME: home, HOME: home, DISPLAY: x.display, BROWSER: '/bin/true' });
    runs.push(second);
    await expect.poll(second.output, { timeout: 20_000 }).toContain('Lanyard is serving');
    expect(second.output()).toContain(
      `No app window either: Lanyard's app window is already open (Chromium, pid ${browserPid}). Starting \`lanyard serve --open\``,
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(xdotool(x.display, 'search', '--onlyvisible', '--name', '^Lanyard$'), 'the first window stays').toBe(window);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('Lanyard stopped serving.');
    expect(await portRefused(port)).toBe(true);
    expect(xdotool(x.display, 'search', '--onlyvisible', '--name', '^Lanyard$')).toBe('');
    expect(existsSync(`/proc/${browserPid}`)).toBe(false);
  }, 90_000);
});

describe.skipIf(!chromiumPath)('lanyard app when the browser cannot show its window', () => {
  it('says why in one line and opens a browser tab through the launcher instead', async () => {
    const home = userHome();
    const record = path.join(home, 'tab-argv');
    const fakeTab = path.join(home, 'fake-tab');
    // The tab's browser only records what it was given, so the test sees what a tab would have been handed.
    writeFileSync(fakeTab, `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}.tmp' && mv '${record}.tmp' '${record}'\n`);
    chmodSync(fakeTab, 0o755);
    if (asRoot) chownSync(fakeTab, nobody, nobody);
    // A display that is named but not there (an ended ssh -X session, say): the real chromium starts, then gives up.
    const run = lanyardApp({ LANYARD_HOME: home, HOME: home, DISPLAY: ':4093', BROWSER: fakeTab });
    try {
      await expect.poll(() => existsSync(record), { timeout: 45_000, interval: 200 }).toBe(true);
      const output = run.output();
      expect(output).toMatch(/^Opening Lanyard in an app window of Chromium/m);
      expect(output).toMatch(
        /^Chromium exited with code \d+ \(.+\) before showing Lanyard: opening a browser tab instead \(`lanyard serve --open`\)\.$/m,
      );
      expect(output).not.toContain(opened);
      const [launcher, ...rest] = readFileSync(record, 'utf8').trim().split('\n');
      expect(rest).toEqual([]);
      expect(path.dirname(launcher!)).toBe(home);
      expect(readFileSync(launcher!, 'utf8')).toContain(`#token=${tokenOf(output)}`);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(await portRefused(portOf(output))).toBe(true);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 90_000);
});
