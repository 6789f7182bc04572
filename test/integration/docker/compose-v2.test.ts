// Compose v2 is not packaged in Debian 12, so its projects are made here by a STAND-IN FOR COMPOSE V2: containers
// created through the Engine API on the private dockerd carrying exactly the labels and names v2 writes
// (`shop-web-1`, absolute config files joined with ",", depends_on "svc:condition:restart", oneoff "False"/"True",
// a one-off `shop-web-run-<hex>`, com.docker.compose.version 2.x). Lanyard groups them, reads the folder, both
// files, profiles and dependencies, and builds the actions for the Compose CLI there is: `docker-compose` (v1,
// Debian's, which really runs `ps` on them), or `docker compose -p … -f …` when `docker compose version`
// answers — here a stand-in docker CLI plugin that only answers `version` (the actions are checked as text, not run).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine } from '../../../main/docker/engine.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { containerRows } from '../../../renderer/src/views/docker/container-rows.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { attachTerminal, waitForText } from '../../support/terminal-attach.ts';

const peers = dockerPeers();
const compose = findPeer('docker-compose', 'apt-get install docker-compose');

const standInPlugin = `#!/bin/sh
# Stand-in for the Compose v2 docker CLI plugin: it only says it is there.
if [ "$1" = docker-cli-plugin-metadata ]; then
  echo '{"SchemaVersion":"0.1.0","Vendor":"Lanyard tests","Version":"v2.24.5-stand-in","ShortDescription":"stand-in for Compose v2"}'
  exit 0
fi
if [ "$1 $2" = "compose version" ]; then echo "Docker Compose version v2.24.5-stand-in"; exit 0; fi
echo "stand-in for Compose v2: $* is not implemented" >&2
exit 1
`;

describe.skipIf(!peers || !compose)('Compose v2 projects (a stand-in for v2: its labels on real containers)', () => {
  const work = tempDir();
  const folder = path.join(work, 'shop');
  const files = [path.join(folder, 'compose.yaml'), path.join(folder, 'compose.override.yaml')];
  let engine: TestEngine;
  let v1: InProcess;
  let v2: InProcess;

  const v2Labels = (service: string, extra: Record<string, string> = {}) => ({
    'com.docker.compose.project': 'shop',
    'com.docker.compose.service': service,
    'com.docker.compose.project.working_dir': folder,
    'com.docker.compose.project.config_files': files.join(','),
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.container-number': '1',
    'com.docker.compose.version': '2.24.5',
    'com.docker.compose.config-hash': 'f00d',
    'com.docker.compose.image': 'sha256:0000',
    'com.docker.compose.depends_on': '',
    ...extra,
  });

  beforeAll(async () => {
    engine = await startTestEngine();
    mkdirSync(folder);
    writeFileSync(files[0]!, `services:\n  web:\n    image: ${testImage}\n    depends_on: [db]\n  db:\n    image: ${testImage}\n`);
    writeFileSync(files[1]!, `services:\n  debugger:\n    image: ${testImage}\n    profiles: [debug]\n`);
    const client = connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null });
    const make = async (name: string, labels: Record<string, string>, start: boolean) => {
      const { Id } = await client.json<{ Id: string }>(
        'POST',
        '/containers/create',
        { name },
        { Image: testImage, Cmd: ['sleep', '600'], Labels: labels, HostConfig: { NetworkMode: 'none' } },
      );
      if (start) await client.json('POST', `/containers/${Id}/start`);
    };
    await make('shop-db-1', v2Labels('db'), true);
    await make(
      'shop-web-1',
      v2Labels('web', { 'com.docker.compose.depends_on': 'db:service_started:false,cache:service_healthy:true' }),
      true,
    );
    await make('shop-web-run-0a1b2c3d4e5f', v2Labels('web', { 'com.docker.compose.oneoff': 'True' }), false);
    await make('loner', {}, false);
    client.dispose();
    const plugins = path.join(work, 'docker-v2', 'cli-plugins');
    mkdirSync(plugins, { recursive: true });
    writeFileSync(path.join(plugins, 'docker-compose'), standInPlugin);
    chmodSync(path.join(plugins, 'docker-compose'), 0o755);
    const env = { ...engine.env, SHELL: '/bin/sh', HOME: work };
    // An empty docker config: `docker compose` does not answer, so Debian's docker-compose (v1) is what is found.
    v1 = startInProcess({ env: { ...env, LANYARD_HOME: path.join(work, 'home-v1'), DOCKER_CONFIG: path.join(work, 'docker-v1') } });
    v2 = startInProcess({ env: { ...env, LANYARD_HOME: path.join(work, 'home-v2'), DOCKER_CONFIG: path.join(work, 'docker-v2') } });
  }, 120_000);
  afterAll(async () => {
    await v1?.host.close();
    await v2?.host.close();
    await engine?.stop();
  });

  it('groups v2’s containers by project: service, folder, both files, oneoff, dependencies and version read from its labels', async () => {
    const containers = await v1.api.docker.containers({ all: true });
    const byName = Object.fromEntries(containers.map((c) => [c.name, c]));
    expect(byName['shop-web-1']!.compose).toEqual({
      project: 'shop',
      service: 'web',
      workingDir: folder,
      configFiles: files,
      oneoff: false,
      dependsOn: ['db', 'cache'],
      version: '2.24.5',
    });
    expect(byName['shop-db-1']!.compose).toMatchObject({ service: 'db', dependsOn: [] });
    expect(byName['shop-web-run-0a1b2c3d4e5f']!.compose).toMatchObject({ service: 'web', oneoff: true });
    expect(byName.loner!.compose).toBeNull();
    const rows = containerRows(containers);
    expect(rows[0]).toEqual({ kind: 'group', project: 'shop', running: 2, total: 3 });
    expect(rows.slice(1, 4).map((r) => (r.kind === 'container' ? r.container.name : r.kind))).toEqual([
      'shop-db-1',
      'shop-web-1',
      'shop-web-run-0a1b2c3d4e5f',
    ]);
  });

  it('the project: services without the one-off, dependencies, profiles of both files', async () => {
    const project = await v1.api.docker.composeProject({ project: 'shop', dialect: 'sh' });
    expect(project).toMatchObject({
      name: 'shop',
      workingDir: folder,
      configFiles: files,
      services: ['db', 'web'],
      dependsOn: { web: ['db', 'cache'] },
      profiles: ['debug'],
      problems: [],
    });
  });

  it('without `docker compose`: the actions are docker-compose (v1), and its ps really lists v2’s containers', async () => {
    const project = await v1.api.docker.composeProject({ project: 'shop', dialect: 'sh' });
    expect(project.cli).toBe('docker-compose');
    const base = `docker-compose -p shop -f ${files[0]} -f ${files[1]} --project-directory ${folder}`;
    expect(project.actions.map((a) => a.command)).toEqual([
      `${base} up -d`,
      `${base} down`,
      `${base} restart`,
      `${base} logs -f`,
      `${base} ps`,
    ]);
    const { terminal } = await v1.api.docker.composeRun({ project: 'shop', action: 'ps', cols: 160, rows: 40 });
    const tab = attachTerminal(v1, terminal.id, 160, 40);
    try {
      await waitForText(tab.term, /shop-web-1\s.*Up/);
      await waitForText(tab.term, /shop-db-1\s.*Up/);
      expect((await tab.exit).code).toBe(0);
    } finally {
      tab.stop();
    }
  }, 60_000);

  it('where `docker compose version` answers (the stand-in plugin): the actions are built for v2, docker compose -p … -f …', async () => {
    const project = await v2.api.docker.composeProject({ project: 'shop', dialect: 'sh' });
    expect(project.cli).toBe('docker compose');
    const base = `docker compose -p shop -f ${files[0]} -f ${files[1]} --project-directory ${folder}`;
    expect(Object.fromEntries(project.actions.map((a) => [a.action, a.command]))).toEqual({
      up: `${base} up -d`,
      down: `${base} down`,
      restart: `${base} restart`,
      logs: `${base} logs -f`,
      ps: `${base} ps`,
    });
  });
});
