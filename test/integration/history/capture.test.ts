// A real bash, zsh and fish each run a scripted session with the hook installed; the database must then
// hold exactly the right rows: multi-line and failing commands kept, leading-space and secret ones not.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSpool } from '../../../main/history/ingest.ts';
import { parseBash } from '../../../main/history/importers/bash.ts';
import { parseFish } from '../../../main/history/importers/fish.ts';
import { parseZsh } from '../../../main/history/importers/zsh.ts';
import { installHook } from '../../../main/history/install.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb } from '../../../main/history/store.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { PtyShell, promptMark } from './pty-shell.ts';

const shells = [
  // Each shell also keeps its own history file, which the importer must then read back exactly.
  {
    name: 'bash',
    peer: findPeer('bash', 'apt-get install bash'),
    args: ['-i'],
    prompt: `PS1='${promptMark}'\nHISTFILE=~/own_history\nHISTTIMEFORMAT='%F '\nshopt -s cmdhist\n`,
  },
  {
    name: 'zsh',
    peer: findPeer('zsh', 'apt-get install zsh'),
    args: ['-i'],
    prompt: `PROMPT='${promptMark}'\nPROMPT2=''\nHISTFILE=~/own_history\nSAVEHIST=1000\nHISTSIZE=1000\nsetopt extended_history\n`,
  },
  {
    name: 'fish',
    peer: findPeer('fish', 'apt-get install fish'),
    args: ['-i'],
    prompt: `set -g fish_greeting\nfunction fish_prompt; printf '${promptMark}'; end\n`,
  },
] as const;

function rcPath(shell: string, home: string): string {
  if (shell === 'bash') return path.join(home, '.bashrc');
  if (shell === 'zsh') return path.join(home, '.zshrc');
  return path.join(home, '.config', 'fish', 'config.fish');
}

for (const shell of shells) {
  describe.skipIf(!shell.peer)(`${shell.name} with the hook installed`, () => {
    it('records exactly the commands it should, with cwd, exit status and times', async () => {
      const root = tempDir();
      const home = path.join(root, 'home');
      const data = path.join(root, 'data');
      const work = path.join(root, 'work dir');
      mkdirSync(work, { recursive: true });
      mkdirSync(path.dirname(rcPath(shell.name, home)), { recursive: true });
      writeFileSync(rcPath(shell.name, home), shell.prompt);
      const env = {
        PATH: process.env.PATH,
        HOME: home,
        ZDOTDIR: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        XDG_DATA_HOME: path.join(home, '.local', 'share'),
        LANYARD_HOME: data,
        TERM: 'xterm-256color',
        LANG: 'C.UTF-8',
        USER: os.userInfo().username,
        LANYARD_NO_CTRL_R: '1',
      };
      const paths = historyPaths(data);
      installHook(paths, shell.name, { env });

      const started = Date.now();
      const sh = new PtyShell(shell.peer!, [...shell.args], env, home);
      await sh.until((o) => o.includes(promptMark), 'the first prompt');
      await sh.run('echo hello');
      // A multi-line command: the quote stays open across Enter.
      sh.process.write('echo "one\r');
      await sh.run('two"');
      await sh.run('false');
      await sh.run('echo → ok');
      await sh.run(' echo leading-space');
      await sh.run('export GITHUB_TOKEN=abc123');
      await sh.run('echo ghp_0123456789abcdef0123456789abcdef0123');
      await sh.run(`cd '${work}'`);
      await sh.run('ls does-not-exist');
      await sh.exit();

      expect(readdirSync(paths.spool).some((f) => f.endsWith('.spool'))).toBe(true);
      // zsh and fish refuse leading-space commands before writing; secrets reach the (0700) spool to be redacted on
      // ingest, which empties it below. (Only with secrets set to be dropped do zsh and fish refuse them first.)
      if (shell.name !== 'bash')
        for (const f of readdirSync(paths.spool)) expect(readFileSync(path.join(paths.spool, f), 'utf8'), f).not.toMatch(/leading-space/);
      const db = openHistoryDb(data);
      const result = ingestSpool(db, paths, { quietMs: 0 });
      expect(result.problems).toEqual([]);
      const rows = db
        .prepare(`SELECT c.text AS command, r.exit, r.cwd, r.shell, r.user, r.host, r.session, r.started_at AS startedAt, r.duration_ms AS durationMs
        FROM history_runs r JOIN history_commands c ON c.id = r.command_id ORDER BY r.started_at, r.id`)
        .all() as Record<string, string | number | null>[];
      expect(rows.map((r) => [r.command, r.exit, r.cwd])).toEqual([
        ['echo hello', 0, home],
        ['echo "one\ntwo"', 0, home],
        ['false', 1, home],
        ['echo → ok', 0, home],
        ['export GITHUB_TOKEN=‹redacted›', 0, home],
        ['echo ‹redacted›', 0, home],
        [`cd '${work}'`, 0, home],
        ['ls does-not-exist', 2, work],
      ]);
      for (const row of rows) {
        expect(row.shell).toBe(shell.name);
        expect(row.user).toBe(os.userInfo().username);
        expect(row.host).toBeTruthy();
        expect(row.session).toBe(rows[0]!.session);
        expect(row.startedAt as number).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
        expect(row.startedAt as number).toBeLessThanOrEqual(Date.now());
        expect(row.durationMs as number).toBeGreaterThanOrEqual(0);
      }
      // The shell's own file, as the importer reads it (bash and zsh only write it on exit; fish as it goes).
      const own = shell.name === 'fish' ? path.join(home, '.local', 'share', 'fish', 'fish_history') : path.join(home, 'own_history');
      const parse = shell.name === 'bash' ? parseBash : shell.name === 'zsh' ? parseZsh : parseFish;
      const imported = [...parse(readFileSync(own))].flatMap((i) => (i.kind === 'run' ? [i.command] : []));
      expect(imported).toEqual(expect.arrayContaining(['echo hello', 'echo "one\ntwo"', 'echo → ok', 'ls does-not-exist']));
      // Every record left the spool once committed.
      expect(readdirSync(paths.spool).filter((f) => f.endsWith('.spool') || f.endsWith('.claimed'))).toEqual([]);
      db.close();
    });
  });
}
