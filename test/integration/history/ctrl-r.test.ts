// Ctrl+R through a real PTY: the hook's binding opens the picker (the built out/picker.js, as installed); Enter
// puts the chosen command on the prompt for editing without running it; Esc leaves the line as it was.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSpool } from '../../../main/history/ingest.ts';
import { installHook } from '../../../main/history/install.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb, runWriter } from '../../../main/history/store.ts';
import { findPeer } from '../../support/peers.ts';
import { outDir } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { PtyShell, promptMark } from './pty-shell.ts';

const shells = [
  { name: 'bash', peer: findPeer('bash', 'apt-get install bash'), rc: '.bashrc', prompt: `PS1='${promptMark}'\n` },
  { name: 'zsh', peer: findPeer('zsh', 'apt-get install zsh'), rc: '.zshrc', prompt: `PROMPT='${promptMark}'\n` },
] as const;

for (const shell of shells) {
  describe.skipIf(!shell.peer || !existsSync(path.join(outDir, 'picker.js')))(`Ctrl+R in ${shell.name}`, () => {
    it('Enter edits the chosen command on the prompt, Esc leaves the line alone', async () => {
      const root = tempDir();
      const home = path.join(root, 'home');
      const data = path.join(root, 'data');
      mkdirSync(home, { recursive: true });
      writeFileSync(path.join(home, shell.rc), shell.prompt);
      const paths = historyPaths(data);
      const db = openHistoryDb(data);
      const old = (command: string, i: number) => ({
        command,
        startedAt: 1_700_000_000_000 + i,
        durationMs: 5,
        exit: i % 2,
        cwd: '/srv',
        session: 'old',
        host: 'h',
        user: 'u',
        shell: 'bash',
        source: 'test',
        dedupe: `t${i}`,
      });
      runWriter(db).write(['git commit -m needle-one', 'echo needle-two', 'ls -la', 'make build'].map(old));
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        ZDOTDIR: home,
        LANYARD_HOME: data,
        TERM: 'xterm-256color',
        LANG: 'C.UTF-8',
        USER: 'tester',
      };
      installHook(paths, shell.name, { env });

      const sh = new PtyShell(shell.peer!, ['-i'], env, home);
      await sh.until((o) => o.includes(promptMark), 'the first prompt');

      const mark = sh.output.length;
      sh.process.write('\u0012');
      await sh.until((o) => o.slice(mark).includes('found'), 'the picker with results');
      sh.process.write('needle-tw');
      await sh.until((o) => /1 found/.test(o.slice(mark)), 'the narrowed list');
      sh.process.write('\r');
      // Back at the prompt with the command on the line (the shell redraws it); had it run, the hook would
      // record it on its own, which the last assertion rules out.
      await sh.until((o) => o.lastIndexOf('echo needle-two') > o.lastIndexOf('\u001b[?1049l'), 'the command on the prompt');
      await new Promise((r) => setTimeout(r, 400));
      await sh.run(' ; echo edited');

      sh.process.write('echo kept');
      const mark2 = sh.output.length;
      sh.process.write('\u0012');
      await sh.until((o) => o.slice(mark2).includes('found'), 'the picker again');
      sh.process.write('zzz');
      // The picker starts from the line as typed; the extra letters are appended to it.
      await sh.until((o) => /echo keptzzz[\s\S]*0 found|0 found[\s\S]*echo keptzzz/.test(o.slice(mark2)), 'no match');
      sh.process.write('\u001b');
      await sh.until((o) => o.slice(mark2).includes('\u001b[?1049l'), 'the picker to close');
      await sh.run('');
      await sh.exit();

      ingestSpool(db, paths, { quietMs: 0 });
      const recorded = db
        .prepare(
          "SELECT c.text FROM history_runs r JOIN history_commands c ON c.id = r.command_id WHERE r.source = 'hook' ORDER BY r.started_at",
        )
        .pluck()
        .all();
      expect(recorded).toEqual(['echo needle-two ; echo edited', 'echo kept']);
      db.close();
    });
  });
}
