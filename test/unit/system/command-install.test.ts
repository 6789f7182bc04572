// What `lanyard install-command` and Doctor's button do, on real files in a temp HOME.
import { lstatSync, mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandInstallError, commandState, installCommand, removeCommand, thisLauncher } from '../../../main/system/command-install.ts';
import { repoRoot } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('command install', () => {
  it("finds this checkout's launcher from the module (main/cli/bin.js)", () => {
    expect(thisLauncher()).toBe(path.join(repoRoot, 'main', 'cli', 'bin.js'));
  });

  it('links, reports the state, refuses a foreign file without force, and removes only its own', () => {
    const home = tempDir();
    const launcher = path.join(repoRoot, 'main', 'cli', 'bin.js');
    const env = { HOME: home, PATH: '/usr/bin', SHELL: '/bin/zsh' };
    const file = path.join(home, '.local', 'bin', 'lanyard');
    expect(commandState({ launcher, env })).toEqual({ file, launcher, installed: 'none', onPath: false });

    const said = installCommand({ launcher, env });
    expect(said).toContain(`Linked ${file} → ${launcher}`);
    expect(said).toContain(`export PATH="${path.dirname(file)}:$PATH"`); // not on PATH: the line for ~/.zshrc
    expect(readlinkSync(file)).toBe(launcher);
    expect(commandState({ launcher, env }).installed).toBe('this');
    expect(installCommand({ launcher, env })).toContain('already runs this Lanyard');

    const other = path.join(home, 'other');
    mkdirSync(other);
    writeFileSync(path.join(other, 'lanyard'), '#!/bin/sh\n');
    const elsewhere = { launcher, env, dir: other };
    expect(commandState(elsewhere).installed).toBe('other');
    expect(() => installCommand(elsewhere)).toThrow(CommandInstallError);
    expect(() => removeCommand(elsewhere)).toThrow(CommandInstallError);
    expect(installCommand({ ...elsewhere, force: true })).toContain('Linked');
    expect(lstatSync(path.join(other, 'lanyard')).isSymbolicLink()).toBe(true);

    expect(removeCommand({ launcher, env })).toBe(`Removed ${file}.\n`);
    expect(commandState({ launcher, env }).installed).toBe('none');
  });
});
