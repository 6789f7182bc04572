// `lanyard app`'s app window: which browser it picks per platform, the switches it is given, and how a second run
// tells that the window's profile is already in use (issue 12 point 8).
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { candidates, findAppBrowser } from '../../../main/cli/app-browser.ts';
import { appWindowArgs, launcherName, profileOwner } from '../../../main/cli/app-window.ts';
import { writeLauncher } from '../../../main/cli/open-browser.ts';
import { tempDir } from '../../support/temp-dir.ts';

function executable(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('finding a browser for the app window', () => {
  it('on Linux, takes the first of Chrome, Chromium, Edge, Brave on PATH', () => {
    const bin = path.join(tempDir(), 'bin');
    const env = { PATH: bin };
    expect(findAppBrowser('linux', env)).toEqual({ ok: false, reason: 'no Chrome, Chromium, Edge or Brave is installed' });
    const brave = executable(bin, 'brave-browser');
    expect(findAppBrowser('linux', env)).toEqual({ ok: true, browser: { name: 'Brave', binary: brave } });
    const chromium = executable(bin, 'chromium-browser');
    expect(findAppBrowser('linux', env)).toEqual({ ok: true, browser: { name: 'Chromium', binary: chromium } });
    const chrome = executable(bin, 'google-chrome');
    expect(findAppBrowser('linux', env)).toEqual({ ok: true, browser: { name: 'Google Chrome', binary: chrome } });
  });

  it("passes over a snap (Ubuntu's chromium), whose confinement cannot read Lanyard's data folder", () => {
    const root = tempDir();
    const bin = path.join(root, 'bin');
    const snap = executable(path.join(root, 'usr', 'bin'), 'snap');
    mkdirSync(bin);
    symlinkSync(snap, path.join(bin, 'chromium'));
    const env = { PATH: bin };
    expect(findAppBrowser('linux', env)).toEqual({
      ok: false,
      reason: `only a snap browser was found (${path.join(bin, 'chromium')}), and a snap cannot read Lanyard's data folder`,
    });
    writeFileSync(executable(bin, 'chromium-browser'), '#!/bin/sh\n# transitional package\nexec /snap/bin/chromium "$@"\n');
    expect(findAppBrowser('linux', env).ok).toBe(false);
    const brave = executable(bin, 'brave-browser');
    expect(findAppBrowser('linux', env)).toEqual({ ok: true, browser: { name: 'Brave', binary: brave } });
  });

  it('on macOS, looks inside the app bundles in /Applications and ~/Applications', () => {
    const home = tempDir();
    const edge = executable(path.join(home, 'Applications', 'Microsoft Edge.app', 'Contents', 'MacOS'), 'Microsoft Edge');
    expect(findAppBrowser('darwin', {}, home)).toEqual({ ok: true, browser: { name: 'Microsoft Edge', binary: edge } });
    expect(candidates('darwin', {}, home).map((c) => c.binary)).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
  });

  it('on Windows, looks where each installer puts it, machine-wide and per user', () => {
    const env = {
      ProgramFiles: 'C:\\Program Files',
      'ProgramFiles(x86)': 'C:\\Program Files (x86)',
      LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local',
    };
    const binaries = candidates('win32', env).map((c) => c.binary);
    expect(binaries[0]).toBe('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(binaries).toContain('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
    expect(binaries).toContain('C:\\Users\\u\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
    expect(binaries).toContain('C:\\Users\\u\\AppData\\Local\\BraveSoftware\\Brave-Browser\\Application\\brave.exe');
  });
});

describe('the app window', () => {
  it('is given a file launcher, its own profile and class, and no URL holding a token', () => {
    const args = appWindowArgs('/data/lanyard/app-window.html', '/data/lanyard/app-window-profile', 'linux');
    expect(args).toEqual(
      expect.arrayContaining([
        '--app=file:///data/lanyard/app-window.html',
        '--user-data-dir=/data/lanyard/app-window-profile',
        '--class=Lanyard',
        '--no-first-run',
        '--no-default-browser-check',
      ]),
    );
    expect(args.join(' ')).not.toMatch(/token|https?:/);
  });

  it('has one launcher name: a stale launcher is replaced, still private to its owner', () => {
    const dir = tempDir();
    const first = writeLauncher(dir, 'http://127.0.0.1:1/#token=old', launcherName);
    const second = writeLauncher(dir, 'http://127.0.0.1:2/#token=new', launcherName);
    expect(second).toBe(first);
    expect(path.basename(second)).toBe('app-window.html');
    expect(lstatSync(second).mode & 0o777).toBe(0o600);
    expect(readFileSync(second, 'utf8')).toContain('#token=new');
    expect(readFileSync(second, 'utf8')).not.toContain('#token=old');
  });

  it("tells a profile in use by a running browser from a stale or foreign lock (Chrome's SingletonLock)", () => {
    const profile = tempDir();
    const lock = path.join(profile, 'SingletonLock');
    const lockedBy = (target: string) => {
      rmSync(lock, { force: true });
      symlinkSync(target, lock);
      return profileOwner(profile);
    };
    expect(profileOwner(profile), 'no lock').toBeNull();
    expect(lockedBy(`${os.hostname()}-${process.pid}`)).toBe(process.pid);
    const ended = spawnSync(process.execPath, ['-e', '']).pid!;
    expect(lockedBy(`${os.hostname()}-${ended}`), 'its browser has exited').toBeNull();
    expect(lockedBy(`another-host-${process.pid}`), 'a profile shared with another machine').toBeNull();
    expect(lockedBy('garbage'), 'not a lock of the known shape').toBeNull();
  });
});
