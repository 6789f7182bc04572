// Row 15 beyond certs: the atomic writer, and the other writers that used a predictable temp name opened with 'w'
// (Docker's last-used values, the history hook scripts). A symlink planted at the target or at the old temp name
// never receives the bytes; the target ends up a regular file with the exact mode, and no temp file is left.
import { lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastUsedFile, remember } from '../../../main/docker/last-used.ts';
import { hookFile, installHook } from '../../../main/history/install.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { writeFileAtomic } from '../../../main/system/atomic-file.ts';
import { tempDir } from '../../support/temp-dir.ts';

const victimText = 'owned by the test\n';

/** Links at the target and at each old predictable temp name, each to its own victim. */
function plant(file: string): string[] {
  mkdirSync(path.dirname(file), { recursive: true });
  return [file, `${file}.${process.pid}.tmp`, `${file}.${process.pid}.new`].map((link, i) => {
    const victim = path.join(path.dirname(file), `victim-${path.basename(file)}-${i}`);
    writeFileSync(victim, victimText);
    symlinkSync(victim, link);
    return victim;
  });
}

function expectSafe(victims: string[], file: string, mode: number): void {
  for (const victim of victims) expect(readFileSync(victim, 'utf8'), victim).toBe(victimText);
  expect(lstatSync(file).isSymbolicLink()).toBe(false);
  expect(statSync(file).mode & 0o777).toBe(mode);
  expect(readdirSync(path.dirname(file)).filter((f) => /\.[0-9a-f]{16}\.tmp$/.test(f))).toEqual([]);
}

describe('writeFileAtomic', () => {
  it('replaces a planted symlink instead of writing through it, with the exact mode', () => {
    const file = path.join(tempDir(), 'secret.pem');
    const victims = plant(file);
    writeFileAtomic(file, 'secret', 0o600);
    expectSafe(victims, file, 0o600);
    expect(readFileSync(file, 'utf8')).toBe('secret');
  });

  it('leaves no temp file behind when the rename fails', () => {
    const dir = tempDir();
    const file = path.join(dir, 'a-folder');
    mkdirSync(path.join(file, 'not-empty'), { recursive: true });
    expect(() => writeFileAtomic(file, 'x', 0o644)).toThrow();
    expect(readdirSync(dir)).toEqual(['a-folder']);
  });
});

describe('other writers that used a predictable temp name', () => {
  it("Docker's last-used values", () => {
    const dataDir = tempDir();
    const file = lastUsedFile(dataDir);
    const victims = plant(file);
    remember(dataDir, 'cheat', { name: 'web' });
    expectSafe(victims, file, 0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ cheat: { name: 'web' } });
  });

  it('the history hook script', () => {
    const home = tempDir();
    const paths = historyPaths(path.join(home, 'data'));
    const file = hookFile(paths, 'bash');
    const victims = plant(file);
    installHook(paths, 'bash', { env: { HOME: home } });
    expectSafe(victims, file, 0o600);
    expect(readFileSync(file, 'utf8')).toContain('lanyard');
  });
});
