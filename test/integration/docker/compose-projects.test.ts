// Issue 16, point 4 against a real engine: Debian's Compose v1 (docker-compose) brings up a two-service
// project from the local busybox image; Lanyard groups its containers by the Compose labels, finds the
// folder, files and profiles, and its logs -f action streams both services in a terminal; down removes them.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { findPeer } from '../../support/peers.ts';
import { runCheatOutput } from '../../support/run-cheat.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { attachTerminal, waitForText } from '../../support/terminal-attach.ts';

const peers = dockerPeers();
const compose = findPeer('docker-compose', 'apt-get install docker-compose');

const ticker = (word: string) => `sh -c 'trap "exit 0" TERM; while :; do echo ${word}-tick; sleep 1; done'`;
const composeFile = `services:
  web:
    image: ${testImage}
    command: ${ticker('web')}
    network_mode: none
  worker:
    image: ${testImage}
    command: ${ticker('worker')}
    network_mode: none
  inspector:
    image: ${testImage}
    command: ${ticker('inspector')}
    network_mode: none
    profiles: [debug, tools]
`;

describe.skipIf(!peers || !compose)('Compose projects (Compose v1, real dockerd)', () => {
  const work = tempDir();
  const folder = path.join(work, 'shop');
  let engine: TestEngine;
  let lanyard: InProcess;

  beforeAll(async () => {
    engine = await startTestEngine();
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'docker-compose.yml'), composeFile);
    // PATH keeps docker-compose; the docker CLI's `compose` plugin is absent here, so v1 is what is found.
    lanyard = startInProcess({ env: { ...engine.env, LANYARD_HOME: path.join(work, 'home'), SHELL: '/bin/sh', HOME: work } });
    execFileSync(compose!, ['up', '-d'], { cwd: folder, env: engine.env, stdio: 'pipe', timeout: 60_000 });
    engine.cli(['run', '--pull=never', '-d', '--name', 'loner', testImage, 'sleep', '600']);
  }, 120_000);
  afterAll(async () => {
    lanyard?.host.close();
    await engine?.stop();
  });

  it('labels each container with its project and service; the rest have none', async () => {
    const containers = await lanyard.api.docker.containers({ all: true });
    const grouped = containers
      .filter((c) => c.compose)
      .map((c) => [c.compose!.project, c.compose!.service, c.compose!.workingDir, c.compose!.oneoff])
      .sort();
    expect(grouped).toEqual([
      ['shop', 'web', folder, false],
      ['shop', 'worker', folder, false],
    ]);
    expect(containers.find((c) => c.name === 'loner')?.compose).toBeNull();
  });

  it("reads the project's folder, files and profiles; its actions are the detected CLI filled from the project", async () => {
    const project = await lanyard.api.docker.composeProject({ project: 'shop', dialect: 'sh' });
    expect(project).toMatchObject({
      name: 'shop',
      workingDir: folder,
      configFiles: [path.join(folder, 'docker-compose.yml')],
      services: ['web', 'worker'],
      profiles: ['debug', 'tools'],
      cli: 'docker-compose',
      problems: [],
    });
    const base = `docker-compose -p shop -f ${path.join(folder, 'docker-compose.yml')} --project-directory ${folder}`;
    expect(Object.fromEntries(project.actions.map((a) => [a.action, a.command]))).toEqual({
      up: `${base} up -d`,
      down: `${base} down`,
      restart: `${base} restart`,
      logs: `${base} logs -f`,
      ps: `${base} ps`,
    });
    expect(project.actions.filter((a) => a.danger).map((a) => a.action)).toEqual(['down']);
  });

  it('the built-in Compose cheats run with the Compose there is: docker-compose where the docker compose plugin is not', async () => {
    // They said `docker compose …`, which this docker CLI answers with "unknown command".
    const { command, output } = await runCheatOutput(lanyard, 'compose-ps', { folder });
    expect(command).toBe(`docker-compose --project-directory ${folder} ps`);
    expect(output).toMatch(/shop_web_1 .* Up/);
    expect(output).toMatch(/shop_worker_1 .* Up/);
    expect((await lanyard.api.docker.render({ id: 'compose-logs', values: { folder } })).command).toBe(
      `docker-compose --project-directory ${folder} logs -f`,
    );
  });

  it('logs -f streams both services in a terminal tab', async () => {
    const { terminal, command } = await lanyard.api.docker.composeRun({ project: 'shop', action: 'logs', cols: 120, rows: 40 });
    expect(command).toMatch(/ logs -f$/);
    const tab = attachTerminal(lanyard, terminal.id);
    try {
      await waitForText(tab.term, /web.*web-tick/);
      await waitForText(tab.term, /worker.*worker-tick/);
    } finally {
      tab.stop();
      await lanyard.api.terminal.close({ id: terminal.id });
    }
  }, 60_000);

  it('lanyard docker compose: the projects, one project, an action printed or run; down wants --yes without a terminal', () => {
    const cli = (...args: string[]) =>
      spawnSync(nodeBin, [cliBundle, 'docker', 'compose', ...args], {
        env: { ...engine.env, LANYARD_HOME: path.join(work, 'home'), NO_COLOR: '1' },
        cwd: work,
        encoding: 'utf8',
        timeout: 60_000,
      });
    expect(cli().stdout).toBe(`shop  2/2 running  ${folder}\n`);
    const shown = cli('shop').stdout;
    expect(shown).toContain('profiles  debug, tools');
    expect(shown).toContain('services  web, worker');
    const file = path.join(folder, 'docker-compose.yml');
    expect(cli('shop', 'ps', '--dry-run').stdout).toBe(`docker-compose -p shop -f ${file} --project-directory ${folder} ps\n`);
    const ps = cli('shop', 'ps');
    expect(ps.status).toBe(0);
    expect(ps.stdout).toMatch(/shop_web_1\s.*Up/);
    const down = cli('shop', 'down');
    expect(down.status).toBe(1);
    expect(down.stderr).toContain('--yes');
    expect(cli('nosuch').status).toBe(1);
    expect(cli('shop', 'explode').status).toBe(2);
  });

  it('down asks first, then removes the project', async () => {
    await expect(lanyard.api.docker.composeRun({ project: 'shop', action: 'down', cols: 80, rows: 24 })).rejects.toMatchObject({
      code: 'invalid-argument',
      field: 'params.confirmed',
    });
    const { terminal } = await lanyard.api.docker.composeRun({ project: 'shop', action: 'down', confirmed: true, cols: 80, rows: 24 });
    const tab = attachTerminal(lanyard, terminal.id);
    try {
      expect((await tab.exit).code).toBe(0);
    } finally {
      tab.stop();
    }
    expect((await lanyard.api.docker.containers({ all: true })).filter((c) => c.compose)).toEqual([]);
    await expect(lanyard.api.docker.composeProject({ project: 'shop' })).rejects.toMatchObject({ code: 'not-found' });
  }, 90_000);
});
