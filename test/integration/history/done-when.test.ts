// The "done when", as a newcomer goes: install the hook with the CLI, import the old ~/.bash_history,
// open two terminals, run commands in both, and find any of them with Ctrl+R in either — with its folder and exit
// status — old ones included. The CLI, the hook and the picker are the built ones, as `npm install` leaves them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPeer } from '../../support/peers.ts';
import { cliBundle, nodeBin, outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { PtyShell, promptMark } from './pty-shell.ts';

const bash = findPeer('bash', 'apt-get install bash');

describe.skipIf(!bash || !existsSync(path.join(outDir, 'picker.js')))('history, done when', () => {
  it('two terminals with the hook: each finds the commands of the other and the imported old ones with Ctrl+R', async () => {
    const root = tempDir();
    const home = path.join(root, 'home');
    const project = path.join(root, 'project');
    mkdirSync(project, { recursive: true });
    mkdirSync(home, { recursive: true });
    writeFileSync(path.join(home, '.bashrc'), `PS1='${promptMark}'\n`);
    writeFileSync(path.join(home, '.bash_history'), '#1600000000\nssh old-server-from-2020\n#1600000100\nls\n');
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      LANYARD_HOME: path.join(root, 'data'),
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      USER: 'newcomer',
    };
    const lanyard = (...args: string[]) => spawnSync(nodeBin, [cliBundle, ...args], { env, encoding: 'utf8' });

    const installed = lanyard('history', 'install', '--shell', 'bash');
    expect(installed.status, installed.stderr).toBe(0);
    const imported = lanyard('history', 'import');
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout + imported.stderr).toMatch(/added 2\b/);

    const a = new PtyShell(bash!, ['-i'], env, home);
    const b = new PtyShell(bash!, ['-i'], env, home);
    await a.until((o) => o.includes(promptMark), 'the first prompt in A');
    await b.until((o) => o.includes(promptMark), 'the first prompt in B');
    await a.run(`cd '${project}'`);
    await b.run('echo started-in-b');
    await a.run('make deploy-from-a; false');
    await b.run('echo second-in-b');

    /** Ctrl+R in `sh`, type `text`, and return the picker's screen once it shows one match. */
    const pick = async (sh: PtyShell, text: string) => {
      const mark = sh.output.length;
      sh.process.write('\u0012');
      await sh.until((o) => o.slice(mark).includes('found'), 'the picker');
      sh.process.write(text);
      await sh.until((o) => /[^0-9]1 found/.test(o.slice(mark)), `one match for ${text}`);
      const screen = sh.output.slice(mark);
      sh.process.write('\r');
      await sh.until((o) => o.lastIndexOf('\u001b[?1049l') > mark, 'the picker to close');
      return screen;
    };
    // B finds A's failed command, with the folder it ran in and its exit status; Enter puts it on B's line.
    const screen = await pick(b, 'deploy-from');
    expect(screen).toContain('make deploy-from-a; false');
    expect(screen).toContain('✗1');
    expect(screen).toContain('project');
    await b.until((o) => o.lastIndexOf('make deploy-from-a; false') > o.lastIndexOf('\u001b[?1049l'), "the command on B's prompt");
    b.process.write('\u0015'); // Ctrl+U: not run
    // A finds B's commands and the imported one from 2020.
    expect(await pick(a, 'second-in')).toContain('echo second-in-b');
    a.process.write('\u0015');
    expect(await pick(a, 'old-server')).toContain('ssh old-server-from-2020');
    a.process.write('\u0015');
    await a.exit();
    await b.exit();

    // The same from the CLI: every command of both terminals, each with its folder and exit status.
    const found = lanyard('history', 'search', '--runs', '--json', '--limit', '100');
    expect(found.status, found.stderr).toBe(0);
    const rows = (JSON.parse(found.stdout) as { command: string; cwd: string | null; exit: number | null }[]).map((r) => [
      r.command,
      r.cwd,
      r.exit,
    ]);
    expect(rows).toEqual(
      expect.arrayContaining([
        [`cd '${project}'`, home, 0],
        ['echo started-in-b', home, 0],
        ['make deploy-from-a; false', project, 1],
        ['echo second-in-b', home, 0],
        ['ssh old-server-from-2020', null, null],
      ]),
    );
    expect(rows).toHaveLength(6);
  });
});
