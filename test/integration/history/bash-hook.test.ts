// The bash hook among the things a real ~/.bashrc holds: an existing PROMPT_COMMAND (string or array),
// bash-preexec, HISTTIMEFORMAT, HISTCONTROL, a shell without $EPOCHREALTIME (bash 4.4), a user who closes
// descriptors or unsets HISTCMD.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSpool } from '../../../main/history/ingest.ts';
import { installHook } from '../../../main/history/install.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb } from '../../../main/history/store.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { PtyShell, promptMark } from './pty-shell.ts';

const bash = findPeer('bash', 'apt-get install bash');
const strace = findPeer('strace', 'apt-get install strace');

/**
 * A stand-in for bash-preexec (github.com/rcaloras/bash-preexec), which neither apt nor npm carries here: the
 * contract Lanyard's hook relies on. It marks itself imported, runs `precmd_functions` from PROMPT_COMMAND
 * with the command's status restored before each, and keeps a DEBUG trap for preexec.
 */
const bashPreexecStandIn = `
__bp_imported=defined
precmd_functions=() preexec_functions=()
__bp_set_ret_value() { return \${1:-}; }
__bp_precmd_invoke_cmd() {
  __bp_last_ret_value=$?
  local f
  for f in "\${precmd_functions[@]}"; do __bp_set_ret_value "$__bp_last_ret_value"; "$f"; done
  __bp_preexec_ready=1
}
__bp_preexec_invoke_exec() {
  [[ -n \${__bp_preexec_ready-} ]] || return
  __bp_preexec_ready=
  local f
  for f in "\${preexec_functions[@]}"; do "$f"; done
}
trap '__bp_preexec_invoke_exec' DEBUG
PROMPT_COMMAND="__bp_precmd_invoke_cmd\${PROMPT_COMMAND:+; $PROMPT_COMMAND}"
`;

interface Session {
  /** Lines for ~/.bashrc before Lanyard's block. */
  before: string;
  /** Lines for ~/.bashrc after it. */
  after?: string;
  commands: string[];
}

async function runSession(session: Session) {
  const root = tempDir();
  const home = path.join(root, 'home');
  const data = path.join(root, 'data');
  mkdirSync(home, { recursive: true });
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    LANYARD_HOME: data,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    USER: os.userInfo().username,
    LANYARD_NO_CTRL_R: '1',
  };
  const paths = historyPaths(data);
  writeFileSync(path.join(home, '.bashrc'), `PS1='${promptMark}'\nHISTFILE=~/own_history\n${session.before}\n`);
  installHook(paths, 'bash', { env });
  writeFileSync(path.join(home, '.bashrc'), `${readFileSync(path.join(home, '.bashrc'), 'utf8')}${session.after ?? ''}\n`);
  const sh = new PtyShell(bash!, ['-i'], env, home);
  await sh.until((o) => o.includes(promptMark), 'the first prompt');
  for (const command of session.commands) await sh.run(command);
  await sh.exit();
  const db = openHistoryDb(data);
  const result = ingestSpool(db, paths, { quietMs: 0 });
  expect(result.problems).toEqual([]);
  const rows = db
    .prepare(`SELECT c.text AS command, r.exit, r.started_at AS startedAt, r.duration_ms AS durationMs
    FROM history_runs r JOIN history_commands c ON c.id = r.command_id ORDER BY r.started_at, r.id`)
    .all() as { command: string; exit: number; startedAt: number; durationMs: number }[];
  db.close();
  return { rows, output: sh.output, home, left: readdirSync(paths.spool) };
}

describe.skipIf(!bash)('the bash hook alongside other prompt code', () => {
  it('keeps an existing PROMPT_COMMAND string running, with the command status it expects', async () => {
    const { rows, output } = await runSession({ before: `PROMPT_COMMAND='echo "seen-status=$?"'`, commands: ['false', 'true'] });
    expect(rows.map((r) => [r.command, r.exit])).toEqual([
      ['false', 1],
      ['true', 0],
    ]);
    expect(output).toContain('seen-status=1');
  });

  it('joins a PROMPT_COMMAND array (bash 5.1+) without replacing its entries', async () => {
    const { rows, output } = await runSession({
      before: `PROMPT_COMMAND=('echo "first=$?"' 'echo second-ran')`,
      commands: ['(exit 3)', 'echo x'],
    });
    expect(rows.map((r) => [r.command, r.exit])).toEqual([
      ['(exit 3)', 3],
      ['echo x', 0],
    ]);
    expect(output).toContain('first=3');
    expect(output).toContain('second-ran');
  });

  it('joins bash-preexec (a stand-in, named so above) through precmd_functions, leaving its hooks working', async () => {
    const { rows, output } = await runSession({
      before: `${bashPreexecStandIn}\nprecmd_functions+=(mine)\nmine() { echo "user-precmd=$?"; }\npreexec_functions+=(pre)\npre() { echo user-preexec; }`,
      commands: ['false', 'echo "a | b" | cat'],
    });
    expect(rows.map((r) => [r.command, r.exit])).toEqual([
      ['false', 1],
      ['echo "a | b" | cat', 0],
    ]);
    expect(output).toContain('user-precmd=1');
    expect(output).toContain('user-preexec');
  });

  it('records with whole-second times where $EPOCHREALTIME is missing (bash 4.4), and with HISTTIMEFORMAT set', async () => {
    const started = Math.floor(Date.now() / 1000) * 1000;
    // Unsetting EPOCHREALTIME takes its special meaning away, as on bash 4.4, which never had it.
    const { rows } = await runSession({ before: `unset EPOCHREALTIME\nHISTTIMEFORMAT='%F %T '`, commands: ['echo one', 'sleep 1.1'] });
    expect(rows.map((r) => r.command)).toEqual(['echo one', 'sleep 1.1']);
    for (const row of rows) {
      expect(row.startedAt % 1000).toBe(0);
      expect(row.startedAt).toBeGreaterThanOrEqual(started);
    }
    expect(rows[1]!.durationMs).toBeGreaterThanOrEqual(1000);
  });

  it('goes on recording after the user closes or reuses descriptors, writing nothing into theirs', async () => {
    const { rows, home } = await runSession({
      before: '',
      commands: [
        'echo before',
        'for fd in {10..19}; do eval "exec $fd>&-"; done',
        'echo after-close',
        'exec 10>~/mine 11<~/mine',
        'echo after-reuse',
        'echo again',
      ],
    });
    expect(rows.map((r) => r.command)).toEqual([
      'echo before',
      'for fd in {10..19}; do eval "exec $fd>&-"; done',
      'echo after-close',
      'exec 10>~/mine 11<~/mine',
      'echo after-reuse',
      'echo again',
    ]);
    expect(readFileSync(path.join(home, 'mine'), 'utf8')).toBe('');
  });

  it('writes nothing for what bash keeps out of its own history, and nothing is left in the spool folder', async () => {
    const { rows, left } = await runSession({
      before: 'HISTCONTROL=ignoreboth',
      commands: ['echo one', 'echo one', ' echo hidden', 'set +o history', 'echo unlisted', 'set -o history', 'history -c', 'echo two', ''],
    });
    // `set +o history` itself is listed: it ran before history was off. `history -c` leaves nothing to print.
    expect(rows.map((r) => r.command)).toEqual(['echo one', 'set +o history', 'echo two']);
    expect(left).toEqual([]);
  });

  it('loads and records under `set -u`, with no PROMPT_COMMAND before it, leaving PS0 and HISTTIMEFORMAT as they were', async () => {
    const { rows, output } = await runSession({
      before: `set -u\nunset PROMPT_COMMAND\nPS0='[ps0]'\nHISTTIMEFORMAT='%F '`,
      commands: ['echo one', 'echo "fmt=$HISTTIMEFORMAT"'],
    });
    expect(output).not.toContain('unbound variable');
    expect(output).toContain('[ps0]');
    expect(output).toContain('fmt=%F ');
    expect(rows.map((r) => r.command)).toEqual(['echo one', 'echo "fmt=$HISTTIMEFORMAT"']);
  });

  it('writes every command that ran once the user has unset HISTCMD; on ingest drops the hidden one and redacts the secret', async () => {
    const { rows } = await runSession({
      before: 'unset HISTCMD',
      commands: ['echo one', ' echo hidden', 'export MY_TOKEN=abc', 'echo two'],
    });
    expect(rows.map((r) => r.command)).toEqual(['echo one', 'export MY_TOKEN=‹redacted›', 'echo two']);
  });

  it('records a 70 KB command exactly', async () => {
    const long = `: ${'x'.repeat(70_000)} é`;
    const { rows } = await runSession({ before: '', commands: [long, 'echo next'] });
    expect(rows.map((r) => r.command)).toEqual([long, 'echo next']);
  });

  it.skipIf(!strace)('starts no process per command (strace counts the forks of 10 and of 200 commands)', () => {
    const root = tempDir();
    const home = path.join(root, 'home');
    const data = path.join(root, 'data');
    mkdirSync(home, { recursive: true });
    const env = { PATH: process.env.PATH, HOME: home, LANYARD_HOME: data, TERM: 'dumb', LANYARD_NO_CTRL_R: '1' };
    installHook(historyPaths(data), 'bash', { env });
    const forks = (commands: number) => {
      const log = path.join(root, `strace-${commands}`);
      const script = Array.from({ length: commands }, (_, i) => `: ${i}\n`).join('');
      const run = spawnSync(strace!, ['-f', '-qq', '-e', 'trace=fork,vfork,clone,clone3', '-o', log, bash!, '-i'], {
        input: script,
        env,
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => /\b(v?fork|clone3?)\(/.test(l)).length;
    };
    expect(forks(200)).toBe(forks(10));
    const db = openHistoryDb(data);
    expect(ingestSpool(db, historyPaths(data), { quietMs: 0 }).added).toBe(210);
    db.close();
  });
});
