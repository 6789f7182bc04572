// The zsh hook among the things a real ~/.zshrc holds: `setopt nounset`, no precmd_functions array yet, and the
// user's own `precmd` function (kept running, with the command's status).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSpool } from '../../../main/history/ingest.ts';
import { installHook } from '../../../main/history/install.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb } from '../../../main/history/store.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { PtyShell, promptMark } from './pty-shell.ts';

const zsh = findPeer('zsh', 'apt-get install zsh');

describe.skipIf(!zsh)('the zsh hook alongside other prompt code', () => {
  it("loads and records under `setopt nounset` before any precmd_functions exist, keeping the user's precmd", async () => {
    const root = tempDir();
    const home = path.join(root, 'home');
    const data = path.join(root, 'data');
    mkdirSync(home, { recursive: true });
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      ZDOTDIR: home,
      LANYARD_HOME: data,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      LANYARD_NO_CTRL_R: '1',
    };
    writeFileSync(path.join(home, '.zshrc'), `PROMPT='${promptMark}'\nsetopt nounset\nprecmd() { print -r -- "user-precmd=$?" }\n`);
    const paths = historyPaths(data);
    installHook(paths, 'zsh', { env });
    const sh = new PtyShell(zsh!, ['-i'], env, home);
    await sh.until((o) => o.includes(promptMark), 'the first prompt');
    await sh.run('false');
    await sh.run('echo two');
    await sh.exit();
    expect(sh.output).not.toMatch(/parameter not set|command not found/);
    expect(sh.output).toContain('user-precmd=1');
    const db = openHistoryDb(data);
    expect(ingestSpool(db, paths, { quietMs: 0 }).problems).toEqual([]);
    const rows = db
      .prepare('SELECT c.text, r.exit FROM history_runs r JOIN history_commands c ON c.id = r.command_id ORDER BY r.started_at')
      .raw()
      .all();
    expect(rows).toEqual([
      ['false', 1],
      ['echo two', 0],
    ]);
    db.close();
  });
});
