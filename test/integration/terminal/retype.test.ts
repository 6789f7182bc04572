// History's "Run in terminal": a command recorded in one shell, typed into a tab running another. A bash
// line that is harmless in bash ('x\' is a whole word there) breaks out of fish's quotes; typed as it is, it
// ran `touch X`. The host now has the recording shell run it, quoted for the tab's.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startInProcess } from '../../../main/host/in-process.ts';
import { retypeLine } from '../../../main/terminal/retype.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const bash = findPeer('bash', 'apt-get install bash');
const fish = findPeer('fish', 'apt-get install fish');
const zsh = findPeer('zsh', 'apt-get install zsh');

// Prints two arguments in bash; in fish, "'x\' '" is one string and "; touch X #" runs.
const bashLine = "printf '<%s>\\n' 'x\\' '; touch X #' > out.txt";

describe.skipIf(!bash || !fish || !zsh)('a bash command retyped into another shell', () => {
  it('is a real hazard: fish typed the line as it is and ran touch X', () => {
    const cwd = tempDir();
    spawnSync(fish!, ['--no-config', '-c', bashLine], { cwd, env: { PATH: process.env.PATH, HOME: tempDir() } });
    expect(existsSync(path.join(cwd, 'X'))).toBe(true);
  });

  it.each([
    ['fish', () => fish!, ['--no-config', '-c']],
    ['zsh', () => zsh!, ['-f', '-c']],
  ])('runs in bash, quoted for %s: the same output, nothing else runs', (_, shell, flags) => {
    const cwd = tempDir();
    const env = { PATH: process.env.PATH, HOME: tempDir() };
    const line = retypeLine(bashLine, 'bash', shell(), env);
    expect(line.endsWith('\r')).toBe(true);
    spawnSync(shell(), [...flags, line.slice(0, -1)], { cwd, env });
    expect({ files: readdirSync(cwd).sort(), out: readFileSync(path.join(cwd, 'out.txt'), 'utf8') }).toEqual({
      files: ['out.txt'],
      out: '<x\\>\n<; touch X #>\n',
    });
  });

  it('types a command as it is into the shell that recorded it, and refuses what would act as keys', () => {
    const env = { PATH: process.env.PATH };
    expect(retypeLine(bashLine, 'bash', bash!, env)).toBe(`${bashLine}\r`);
    expect(retypeLine('ls', null, fish!, env)).toBe('ls\r');
    for (const keys of ['ls\x03', 'ls\tx', 'ls\rrm -rf ~', '\x1b[201~'])
      expect(() => retypeLine(keys, 'bash', bash!, env)).toThrow(/tab or control character/);
    expect(() => retypeLine('ls', 'fish', bash!, { PATH: tempDir() })).toThrow(/recorded in fish, which is not installed here/);
  });

  it('through the terminal service: a fish tab runs the bash line in bash', async () => {
    const home = tempDir();
    const cwd = tempDir();
    const lanyard = startInProcess({
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        SHELL: fish!,
        LANYARD_HOME: path.join(home, 'lanyard'),
      },
    });
    try {
      const info = await lanyard.api.terminal.open({ cols: 100, rows: 30, cwd, input: { command: bashLine, shell: 'bash' } });
      expect(info.shell).toBe(fish);
      const deadline = Date.now() + 20_000;
      while (!existsSync(path.join(cwd, 'out.txt')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 300));
      expect({ files: readdirSync(cwd).sort(), out: readFileSync(path.join(cwd, 'out.txt'), 'utf8') }).toEqual({
        files: ['out.txt'],
        out: '<x\\>\n<; touch X #>\n',
      });
      await expect(
        lanyard.api.terminal.open({ cols: 100, rows: 30, cwd, input: { command: 'ls\x03', shell: 'bash' } }),
      ).rejects.toMatchObject({ code: 'invalid-argument' });
    } finally {
      await lanyard.host.close();
    }
  });
});
