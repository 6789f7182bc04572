// History's recordRun (its public file): what other tools (a Docker cheat run) use to record a run, with
// History's own rules: nothing while paused, secrets redacted, or dropped when set to drop.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startInProcess } from '../../../main/host/in-process.ts';
import { recordRun } from '../../../main/history/tool.ts';
import { tempDir } from '../../support/temp-dir.ts';

const run = (command: string) => ({ command, startedAt: Date.now(), durationMs: 12, exit: 3, cwd: '/srv/app', shell: 'sh' });

async function setUp() {
  const dataDir = tempDir();
  const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: dataDir } });
  const commands = async () =>
    (await api.history.search({ group: 'run' })).rows.map((r) => ({ command: r.command, exit: r.exit, cwd: r.cwd, shell: r.shell }));
  return { dataDir, api, host, commands };
}

describe('history recordRun', () => {
  it('records the run with its exit code, folder and shell, searchable at once', async () => {
    const { dataDir, host, commands } = await setUp();
    expect(await recordRun(dataDir, run('docker ps -a'))).toBe('recorded');
    expect(await commands()).toEqual([{ command: 'docker ps -a', exit: 3, cwd: '/srv/app', shell: 'sh' }]);
    await host.close();
  });

  it('records nothing while History is paused', async () => {
    const { dataDir, api, host, commands } = await setUp();
    await api.history.updateSettings({ paused: true });
    expect(await recordRun(dataDir, run('docker ps'))).toBe('paused');
    expect(await commands()).toEqual([]);
    await host.close();
  });

  it('redacts a secret by default, and drops the run when secrets are set to be dropped', async () => {
    const { dataDir, api, host, commands } = await setUp();
    expect(await recordRun(dataDir, run('docker login --password hunter22 registry.test'))).toBe('recorded');
    const [stored] = await commands();
    expect(stored?.command).not.toContain('hunter22');
    expect(stored?.command).toContain('‹redacted›');
    await api.history.updateSettings({ secretAction: 'drop' });
    expect(await recordRun(dataDir, run('docker login --password hunter23 registry.test'))).toBe('secret');
    expect(await commands()).toHaveLength(1);
    await host.close();
  });

  it('never throws: a data folder it cannot use is a failed outcome, not an error', async () => {
    const notAFolder = path.join(tempDir(), 'file');
    writeFileSync(notAFolder, '');
    expect(await recordRun(notAFolder, run('docker ps'))).toMatch(/^failed: /);
  });
});
