// `lanyard docker …` as a user runs it (the built CLI), and the "done when" path: exec into a container
// from a cheat in a terminal tab, then find the command in History.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHistoryDb } from '../../../main/history/store.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { bufferText, headlessTerminal } from '../../support/xterm.ts';

const peers = dockerPeers();

function historyRows(
  home: string,
): { command: string; exit: number | null; cwd: string | null; duration: number | null; source: string }[] {
  const db = openHistoryDb(home);
  try {
    return db
      .prepare(
        'SELECT c.text AS command, r.exit AS exit, r.cwd AS cwd, r.duration_ms AS duration, r.source AS source FROM history_runs r JOIN history_commands c ON c.id = r.command_id ORDER BY r.id',
      )
      .all() as ReturnType<typeof historyRows>;
  } finally {
    db.close();
  }
}

describe.skipIf(!peers || !existsSync(cliBundle))('lanyard docker CLI and History (real dockerd)', () => {
  let engine: TestEngine;
  const home = tempDir();
  const cwd = tempDir();
  const lanyard = (...args: string[]) =>
    spawnSync(nodeBin, [cliBundle, 'docker', ...args], {
      env: { ...engine.env, LANYARD_HOME: home, NO_COLOR: '1' },
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
    });

  beforeAll(async () => {
    engine = await startTestEngine();
    engine.cli(['run', '--pull=never', '-d', '--name', 'web', testImage, 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done']);
    engine.cli(['create', '--pull=never', '--name', 'idle', testImage, 'true']);
  });
  afterAll(async () => engine?.stop());

  it('lists, shows and searches cheats', () => {
    const list = lanyard('cheats', '--json');
    expect(list.status).toBe(0);
    expect((JSON.parse(list.stdout) as { id: string }[]).length).toBeGreaterThanOrEqual(45);
    expect(lanyard('cheats', 'exec', 'shell').stdout.split('\n')[0]).toMatch(/^exec-shell\s/);
    expect(lanyard('show', 'exec-shell').stdout).toContain('docker exec -it <container> <shell>');
    expect(lanyard('show', 'nope').status).toBe(1);
  });

  it('suggests what the engine holds', () => {
    expect(lanyard('suggest', 'container').stdout).toMatch(/^web\t.*\nidle\t/);
    expect(lanyard('suggest', 'container', '--running').stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(lanyard('suggest', 'image', '--json').stdout)[0].value).toBe(testImage);
    expect(lanyard('suggest', 'banana').status).toBe(2);
  });

  it('prints the exact command on --dry-run, runs it streaming its output and exits with its code', () => {
    expect(lanyard('run', 'exec-command', '--set', 'container=web', '--set', 'command=echo hi; exit 3', '--dry-run').stdout).toBe(
      "docker exec web sh -c 'echo hi; exit 3'\n",
    );
    const ran = lanyard('run', 'exec-command', '--set', 'container=web', '--set', 'command=echo hi; exit 3');
    expect(ran.stdout).toBe('hi\n');
    expect(ran.status).toBe(3);
    const missing = lanyard('run', 'logs-follow');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('lanyard docker suggest container');
    expect(lanyard('run', 'logs-follow', '--set', 'tail=3').status).toBe(2);
  });

  it('asks before a dangerous cheat and refuses without a terminal unless --yes', () => {
    const refused = lanyard('run', 'rm', '--set', 'container=idle');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('--yes');
    expect(engine.cli(['ps', '-a', '--format', '{{.Names}}'])).toContain('idle');
    expect(lanyard('run', 'rm', '--set', 'container=idle', '--yes').status).toBe(0);
    expect(engine.cli(['ps', '-a', '--format', '{{.Names}}'])).not.toContain('idle');
  });

  it('at a terminal, asks y/N before a dangerous cheat and does nothing on no', async () => {
    engine.cli(['create', '--pull=never', '--name', 'asked', testImage, 'true']);
    const answer = (reply: string) =>
      new Promise<{ code: number; output: string }>((resolve) => {
        const child = pty.spawn(nodeBin, [cliBundle, 'docker', 'run', 'rm', '--set', 'container=asked'], {
          cols: 100,
          rows: 10,
          cwd,
          env: { ...engine.env, LANYARD_HOME: home, NO_COLOR: '1' } as Record<string, string>,
        });
        let output = '';
        child.onData((data) => {
          output += data;
          if (output.includes('[y/N]') && !output.includes('answered')) {
            output += 'answered';
            child.write(`${reply}\r`);
          }
        });
        child.onExit(({ exitCode }) => resolve({ code: exitCode, output }));
      });
    const no = await answer('n');
    expect(no.output).toContain('docker rm asked');
    expect(no.code).toBe(1);
    expect(engine.cli(['ps', '-a', '--format', '{{.Names}}'])).toContain('asked');
    expect((await answer('y')).code).toBe(0);
    expect(engine.cli(['ps', '-a', '--format', '{{.Names}}'])).not.toContain('asked');
  });

  it('records every CLI run in History with exit code, cwd and duration', () => {
    const rows = historyRows(home).filter((r) => r.source === 'lanyard');
    expect(rows.find((r) => r.command === "docker exec web sh -c 'echo hi; exit 3'")).toMatchObject({ exit: 3, cwd });
    expect(rows.find((r) => r.command === 'docker rm idle')).toMatchObject({ exit: 0 });
    expect(rows.every((r) => typeof r.duration === 'number')).toBe(true);
  });

  it('done when: exec into a running container from the cheat, in a terminal tab, and find it in History', async () => {
    const app: InProcess = startInProcess({ env: { ...engine.env, LANYARD_HOME: home, SHELL: '/bin/bash', HOME: home } });
    const suggestions = await app.api.docker.suggest({ kind: 'container', state: 'running' });
    expect(suggestions.map((s) => s.value)).toEqual(['web']);
    const { cheat } = await app.api.docker.cheat({ id: 'exec-shell' });
    const values = { container: suggestions[0]!.value, shell: cheat.placeholders[1]!.default! };
    await expect(app.api.docker.runInTerminal({ id: 'rm', values: { container: 'web' }, cols: 80, rows: 24 })).rejects.toMatchObject({
      field: 'params.confirmed',
    });
    const { terminal, command } = await app.api.docker.runInTerminal({ id: 'exec-shell', values, cols: 100, rows: 30, cwd });
    expect(command).toBe('docker exec -it web sh');
    const term = headlessTerminal(100, 30);
    const exited = new Promise<void>((resolve) =>
      app.api.terminal.output(
        { id: terminal.id },
        {
          next: (e) =>
            e.type === 'exit' ? resolve() : term.write(e.data, () => void app.api.terminal.ack({ id: terminal.id, chars: e.data.length })),
        },
      ),
    );
    const deadline = Date.now() + 15_000;
    while (!/[#$] $/m.test(bufferText(term)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await app.api.terminal.input({ id: terminal.id, data: 'echo "inside $(cat /proc/1/cmdline | tr "\\0" " ")"\rexit\r' });
    await exited;
    expect(bufferText(term)).toContain('inside sh -c trap');
    await new Promise((r) => setTimeout(r, 200));
    expect(historyRows(home).find((r) => r.command === 'docker exec -it web sh')).toMatchObject({ exit: 0, cwd, source: 'lanyard' });
    expect((await app.api.docker.cheat({ id: 'exec-shell' })).lastUsed).toEqual(values);
    app.host.close();
    expect(path.isAbsolute(cwd)).toBe(true);
  });
});
