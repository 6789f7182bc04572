// The context-aware Up-arrow in real bash, zsh and fish on PTYs, through the installed hook and the built
// out/picker.js (--up-list): Up shows this directory's newest command first, then older ones, then this session's,
// then other directories'; Down walks back to the typed line; a typed prefix filters; with the setting off, Up is
// the shell's own. What is on the line is read by running it behind `echo SHOWN:` with recording off, so the
// lists stay as they were.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installHook } from '../../../main/history/install.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { writeSettings } from '../../../main/history/settings.ts';
import { openHistoryDb, runWriter } from '../../../main/history/store.ts';
import { findPeer } from '../../support/peers.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { PtyShell, promptMark } from './pty-shell.ts';

const shells = [
  {
    name: 'bash',
    peer: findPeer('bash', 'apt-get install bash'),
    rc: '.bashrc',
    prompt: `PS1='${promptMark}'\nHISTFILE=~/own_history\n`,
    historyOff: 'export LANYARD_HISTORY_OFF=1',
  },
  {
    name: 'zsh',
    peer: findPeer('zsh', 'apt-get install zsh'),
    rc: '.zshrc',
    prompt: `PROMPT='${promptMark}'\nHISTFILE=~/own_history\nHISTSIZE=1000\n`,
    historyOff: 'export LANYARD_HISTORY_OFF=1',
  },
  {
    name: 'fish',
    peer: findPeer('fish', 'apt-get install fish'),
    rc: path.join('.config', 'fish', 'config.fish'),
    prompt: `set -g fish_greeting\nfunction fish_prompt; printf '${promptMark}'; end\n`,
    historyOff: 'set -gx LANYARD_HISTORY_OFF 1',
  },
] as const;

const up = '\u001b[A';
const down = '\u001b[B';

for (const shell of shells) {
  describe.skipIf(!shell.peer || !existsSync(path.join(outDir, 'picker.js')))(`context-aware Up in ${shell.name}`, () => {
    const root = tempDir();
    const home = path.join(root, 'home');
    const proj = path.join(home, 'proj');
    const data = path.join(root, 'data');
    mkdirSync(proj, { recursive: true });
    mkdirSync(path.dirname(path.join(home, shell.rc)), { recursive: true });
    writeFileSync(path.join(home, shell.rc), shell.prompt);
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      ZDOTDIR: home,
      LANYARD_HOME: data,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      USER: 'tester',
    };
    const paths = historyPaths(data);
    const db = openHistoryDb(data);
    // Older history, from another session: two runs in proj, two elsewhere (the newest of all elsewhere).
    const at = Date.now() - 3_600_000;
    runWriter(db).write(
      [
        ['echo proj-old', proj, 1],
        ['echo other-1', '/srv', 2],
        ['echo proj-new', proj, 3],
        ['echo other-newest', '/srv', 4],
      ].map(([command, cwd, i]) => ({
        command: command as string,
        startedAt: at + (i as number) * 1000,
        durationMs: 5,
        exit: 0,
        cwd: cwd as string,
        session: 'old',
        host: 'h',
        user: 'u',
        shell: 'bash',
        source: 'test',
        dedupe: `up${i}`,
      })),
    );
    db.close();
    installHook(paths, shell.name, { env });

    /** Press `keys`, then run what is on the line behind `echo SHOWN:`; returns what the line held. */
    async function shown(sh: PtyShell, keys: string[]): Promise<string> {
      const mark = sh.output.length;
      for (const key of keys) {
        sh.process.write(key);
        // Each key on its own read, as a person types (an escape sequence split across reads is the shell's to join).
        await new Promise((r) => setTimeout(r, 60));
      }
      sh.process.write('\u0001echo SHOWN:\r');
      // echo's output starts a line (after \n, or fish's \r); the line being typed has SHOWN: after other text.
      const printedLine = /(?:^|[\r\n])SHOWN:([^\r\n]*)\r\n/;
      await sh.until((o) => printedLine.test(o.slice(mark)), `the line after ${JSON.stringify(keys)}`, 30_000);
      const printed = printedLine.exec(sh.output.slice(mark))![1]!;
      await sh.until((o) => o.slice(mark).split(promptMark).length > 1, 'the prompt');
      return printed.trim();
    }

    async function start(cwd: string): Promise<PtyShell> {
      const sh = new PtyShell(shell.peer!, ['-i'], env, cwd);
      await sh.until((o) => o.includes(promptMark), 'the first prompt');
      return sh;
    }

    it('walks this directory, then this session, then everywhere; Down returns; a prefix filters', async () => {
      writeSettings(paths, { upArrow: true });
      const sh = await start(home);
      await sh.run('echo session-cmd');
      await sh.run('cd proj');
      await sh.run(shell.historyOff);

      expect(await shown(sh, [up])).toBe('echo proj-new');
      expect(await shown(sh, [up, up])).toBe('echo proj-old');
      // This session's, newest first (run in home, so not this directory's).
      expect(await shown(sh, [up, up, up])).toBe('cd proj');
      expect(await shown(sh, [up, up, up, up])).toBe('echo session-cmd');
      expect(await shown(sh, [up, up, up, up, up])).toBe('echo other-newest');
      expect(await shown(sh, [up, up, up, up, up, up])).toBe('echo other-1');
      // Past the end Up stays on the oldest.
      expect(await shown(sh, [up, up, up, up, up, up, up])).toBe('echo other-1');

      expect(await shown(sh, [up, up, up, down])).toBe('echo proj-old');
      // Down past the newest gives back the line as typed (empty here).
      expect(await shown(sh, [up, down])).toBe('');

      // Only commands starting with the typed text.
      expect(await shown(sh, ['echo proj-o', up])).toBe('echo proj-old');
      expect(await shown(sh, ['echo o', up])).toBe('echo other-newest');
      expect(await shown(sh, ['echo o', up, up])).toBe('echo other-1');
      expect(await shown(sh, ['echo s', up, down])).toBe('echo s');
      await sh.exit();
    }, 240_000);

    it("leaves the shell's own Up alone when the setting is off", async () => {
      writeSettings(paths, { upArrow: false });
      rmSync(path.join(home, 'own_history'), { force: true });
      const sh = await start(home);
      await sh.run(shell.historyOff);
      await sh.run('cd proj');
      // The shell's own history: its last command, not Lanyard's newest in proj (echo proj-new).
      expect(await shown(sh, [up])).toBe('cd proj');
      await sh.exit();
    }, 120_000);
  });
}
