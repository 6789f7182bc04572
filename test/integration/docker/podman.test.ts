// Podman as an engine (issue 16, point 3), against Debian's podman serving its Docker-compatible API on a
// private socket where a rootless one lives: found and listed like an engine, picked in Lanyard (the choice kept
// across restarts), its API version negotiated, containers listed with their pods as groups, events followed,
// and cheats run with `podman` (CONTAINER_HOST pointing at the engine in use). Containers really start (crun):
// start and die reach the list and the suggestions through events, a pod's header counts its running members,
// cheats act on the engine, and Compose runs as docker-compose with DOCKER_HOST at the Podman socket.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../main/docker/contract.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { podmanPeer, startTestPodman, type TestPodman } from '../../support/podman.ts';
import { dockerPeers } from '../../support/dockerd.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { runCheatOutput } from '../../support/run-cheat.ts';
import { findPeer } from '../../support/peers.ts';
import { attachTerminal, waitForText } from '../../support/terminal-attach.ts';
import { containerRows } from '../../../renderer/src/views/docker/container-rows.ts';

const peers = podmanPeer() && dockerPeers();
const compose = findPeer('docker-compose', 'apt-get install docker-compose');
// A pod's infra container runs Podman's pause image, which Podman builds locally around catatonit (nothing pulled).
const catatonit = findPeer('catatonit', 'apt-get install catatonit');

async function until<T>(what: string, get: () => Promise<T> | T, ok: (value: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value).slice(0, 400)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!peers)('Podman (podman system service on a private socket)', () => {
  let podman: TestPodman;
  let env: NodeJS.ProcessEnv;
  let app: InProcess;
  const home = tempDir();

  beforeAll(async () => {
    podman = await startTestPodman();
    podman.cli(['pod', 'create', '--infra=false', '--name', 'shop']);
    podman.cli(['create', '--pod', 'shop', '--network', 'none', '--name', 'shop-web', 'busybox:latest', 'sleep', '100']);
    podman.cli(['create', '--pod', 'shop', '--network', 'none', '--name', 'shop-db', 'busybox:latest', 'sleep', '100']);
    podman.cli(['create', '--network', 'none', '--name', 'loner', 'busybox:latest', 'sleep', '100']);
    // No DOCKER_HOST, an empty docker config: the docker CLI's engine would be the default socket.
    const { DOCKER_HOST: _host, DOCKER_CONTEXT: _context, CONTAINER_HOST: _container, ...rest } = podman.env;
    // podman 4.3's `run` stats $DOCKER_CONFIG/config.json for registry logins and fails when it is missing.
    const dockerConfig = tempDir();
    writeFileSync(path.join(dockerConfig, 'config.json'), '{}');
    env = { ...rest, XDG_RUNTIME_DIR: podman.runtimeDir, DOCKER_CONFIG: dockerConfig, LANYARD_HOME: home, SHELL: '/bin/sh' };
    app = startInProcess({ env });
  }, 120_000);
  afterAll(async () => {
    await app?.host.close();
    await podman?.stop();
  });

  /** A debug shell into `container`: its prompt, its PID 1 running `pid1` (and `also`'s answer), exit 0, the helper gone after. */
  async function debugShellInto(container: string, pid1: string, also?: { type: string; see: RegExp }): Promise<void> {
    const { terminal } = await app.api.docker.debugShell({ container, cols: 120, rows: 40 });
    const tab = attachTerminal(app, terminal.id);
    try {
      await waitForText(tab.term, new RegExp(`\\[debug ${container}\\] / # $`, 'm'), 60_000);
      await app.api.terminal.input({
        id: terminal.id,
        data: `echo "pid1=$(cat /proc/1/cmdline | tr "\\0" " ")"${also ? `; ${also.type}` : ''}\r`,
      });
      await waitForText(tab.term, new RegExp(`pid1=${pid1}`));
      if (also) await waitForText(tab.term, also.see);
      await app.api.terminal.input({ id: terminal.id, data: 'exit\r' });
      expect((await tab.exit).code).toBe(0);
    } finally {
      tab.stop();
    }
    await until(
      'the helper removed',
      () => podman.cli(['ps', '-a', '--format', '{{.Names}}']),
      (names) => !names.includes('lanyard-debug-'),
    );
  }

  it('is found at $XDG_RUNTIME_DIR/podman/podman.sock and listed beside the docker CLI’s engine', async () => {
    const { endpoints, chosen } = await app.api.docker.endpoints({});
    expect(chosen).toBeNull();
    expect(endpoints).toContainEqual(
      expect.objectContaining({ id: 'podman:rootless', host: podman.host, source: 'podman', tls: false, current: false }),
    );
    expect(endpoints[0]).toMatchObject({ id: 'context:default', current: true });
  });

  it('picked, it is used (Podman, its API version negotiated) and the choice outlives a restart', async () => {
    const status = await app.api.docker.chooseEndpoint({ id: 'podman:rootless' });
    expect(status).toMatchObject({ reachable: true, chosen: true, endpointId: 'podman:rootless', host: podman.host, flavour: 'podman' });
    // Podman 4 answers /_ping with Api-Version 1.41, older than Lanyard's 1.45: spoken in its version.
    expect(status.apiVersion).toBe('1.41');
    expect(status.engineVersion).toBe(podman.cli(['version', '--format', '{{.Server.Version}}']).trim());
    const again = startInProcess({ env });
    try {
      expect(await again.api.docker.engine({})).toMatchObject({ chosen: true, host: podman.host, flavour: 'podman' });
      expect((await again.api.docker.endpoints({})).chosen).toBe('podman:rootless');
    } finally {
      await again.host.close();
    }
  });

  it('lists the containers with their pod (the panel’s groups)', async () => {
    const all = await app.api.docker.containers({ all: true });
    const byName = Object.fromEntries(all.map((c) => [c.name, c]));
    expect(byName['shop-web']).toMatchObject({ pod: 'shop', state: 'created' });
    expect(byName['shop-db']).toMatchObject({ pod: 'shop' });
    expect(byName.loner).toBeDefined();
    expect(byName.loner!.pod).toBeUndefined();
  });

  it('follows its events (Podman’s compatible /events)', async () => {
    const events: EngineEvent[] = [];
    const stop = app.api.docker.events({}, { next: (e) => events.push(e) });
    const deadline = Date.now() + 30_000;
    for (let i = 0; !events.some((e) => e.name.startsWith('seen-')) && Date.now() < deadline; i++) {
      podman.cli(['create', '--network', 'none', '--name', `seen-${i}`, 'busybox:latest', 'true']);
      await new Promise((r) => setTimeout(r, 300));
    }
    stop();
    expect(events).toContainEqual(expect.objectContaining({ type: 'container', action: 'create', name: expect.stringMatching(/^seen-/) }));
  });

  it('starts containers (crun): start and die arrive as events; the list, the pod group and the running suggestions follow', async () => {
    const events: EngineEvent[] = [];
    const stop = app.api.docker.events({}, { next: (e) => events.push(e) });
    const running = async () => (await app.api.docker.suggest({ kind: 'container', state: 'running' })).map((s) => s.value);
    const sawEvent = (action: string) => () =>
      until(
        `a ${action} event for shop-web`,
        () => events,
        (list) => list.some((e) => e.action === action && e.name === 'shop-web'),
      );
    try {
      expect(await running()).not.toContain('shop-web'); // the suggestion cache is now filled and follows events
      podman.cli(['start', 'shop-web']);
      await sawEvent('start')();
      const id = events.find((e) => e.name === 'shop-web')!.id!;
      // What the panel's list does with an event: the container asked for by id.
      expect(await app.api.docker.containers({ all: true, ids: [id] })).toEqual([
        expect.objectContaining({ name: 'shop-web', state: 'running', pod: 'shop' }),
      ]);
      await until('shop-web among the running suggestions', running, (names) => names.includes('shop-web'));
      const rows = containerRows(await app.api.docker.containers({ all: true }));
      expect(rows).toContainEqual({ kind: 'pod', pod: 'shop', count: 2, running: 1 });
      // sleep as PID 1 ignores SIGTERM: killed at once.
      podman.cli(['stop', '--time', '0', 'shop-web']);
      await sawEvent('die')();
      expect((await app.api.docker.containers({ all: true, ids: [id] }))[0]).toMatchObject({ name: 'shop-web', state: 'exited' });
      await until('shop-web gone from the running suggestions', running, (names) => !names.includes('shop-web'));
    } finally {
      stop();
    }
  }, 90_000);

  it('a cheat run as podman really acts on this engine: start, then exec writes into the container', async () => {
    const start = await runCheatOutput(app, 'start', { container: 'loner' });
    expect(start.command).toBe('podman start loner');
    expect(podman.cli(['inspect', '--format', '{{.State.Status}}', 'loner']).trim()).toBe('running');
    const exec = await runCheatOutput(app, 'exec-command', { container: 'loner', command: 'echo made-by-lanyard > /tmp/proof' });
    expect(exec.command).toBe("podman exec loner sh -c 'echo made-by-lanyard > /tmp/proof'");
    expect(podman.cli(['exec', 'loner', 'cat', '/tmp/proof']).trim()).toBe('made-by-lanyard');
    podman.cli(['stop', '--time', '0', 'loner']);
  }, 60_000);

  it('a debug shell into a Podman container runs with podman: a prompt in its namespaces, /target its files, the helper gone after', async () => {
    podman.cli(['start', 'loner']);
    const plan = await app.api.docker.debugPlan({ container: 'loner', dialect: 'sh' });
    expect(plan.commands).toEqual([
      expect.stringMatching(/^podman run --rm -it --pull never --name lanyard-debug-[\w-]+ .*--pid container:\w+ --network container:\w+ /),
    ]);
    await debugShellInto('loner', 'sleep 100', { type: 'ls /target/bin/busybox', see: /^\/target\/bin\/busybox\s*$/m });
    podman.cli(['stop', '--time', '0', 'loner']);
  }, 120_000);

  it('a debug shell into a container in a pod: the helper joins the pod (Podman refused one outside it), and reaches a prompt', async () => {
    podman.cli(['start', 'shop-db']);
    try {
      const plan = await app.api.docker.debugPlan({ container: 'shop-db', dialect: 'sh' });
      expect(plan.commands[0]).toMatch(/^podman run --rm -it --pull never .* --pod shop --pid container:\w+ --network container:\w+ /);
      await debugShellInto('shop-db', 'sleep 100');
    } finally {
      podman.cli(['stop', '--time', '0', 'shop-db']);
    }
  }, 120_000);

  it.skipIf(!catatonit)(
    'a debug shell into a container of a pod with an infra container (the default pod): the shared namespaces come from the pod',
    async () => {
      podman.cli(['pod', 'create', '--network', 'none', '--name', 'ledger']);
      podman.cli(['create', '--pod', 'ledger', '--name', 'ledger-app', 'busybox:latest', 'sleep', '101']);
      podman.cli(['pod', 'start', 'ledger']);
      try {
        const plan = await app.api.docker.debugPlan({ container: 'ledger-app', dialect: 'sh' });
        // The pod shares net, ipc and uts through its infra container: only the PID namespace is asked for.
        expect(plan.commands[0]).toMatch(/^podman run --rm -it --pull never .* --pod ledger --pid container:\w+ /);
        expect(plan.commands[0]).not.toMatch(/--network container:|--ipc container:/);
        await debugShellInto('ledger-app', 'sleep 101');
      } finally {
        podman.cli(['pod', 'rm', '--force', '--time', '0', 'ledger']);
      }
    },
    120_000,
  );

  it.skipIf(!compose)(
    'Compose on Podman: docker-compose with DOCKER_HOST at its socket, shown as it runs; the project groups, its actions run there',
    async () => {
      const folder = path.join(tempDir(), 'pshop');
      mkdirSync(folder);
      const service = (word: string) =>
        `    image: busybox:latest\n    command: sh -c 'trap "exit 0" TERM; while :; do echo ${word}-tick; sleep 1; done'\n    network_mode: none\n`;
      writeFileSync(
        path.join(folder, 'docker-compose.yml'),
        `version: "2.4"\nservices:\n  web:\n${service('web')}  worker:\n${service('worker')}`,
      );
      const up = await runCheatOutput(app, 'compose-up', { folder });
      expect(up.command).toBe(`DOCKER_HOST=${podman.host} docker-compose --project-directory ${folder} up -d`);
      const members = await until(
        'both services running on Podman',
        async () => (await app.api.docker.containers({ all: true })).filter((c) => c.compose?.project === 'pshop'),
        (list) => list.length === 2 && list.every((c) => c.state === 'running'),
      );
      expect(members.map((c) => c.compose!.service).sort()).toEqual(['web', 'worker']);
      expect(podman.cli(['ps', '--format', '{{.Names}}'])).toMatch(/pshop_web_1/);

      const project = await app.api.docker.composeProject({ project: 'pshop', dialect: 'sh' });
      const file = path.join(folder, 'docker-compose.yml');
      expect(project.cli).toBe('docker-compose');
      expect(project.actions.find((a) => a.action === 'ps')!.command).toBe(
        `DOCKER_HOST=${podman.host} docker-compose -p pshop -f ${file} --project-directory ${folder} ps`,
      );
      const ps = await app.api.docker.composeRun({ project: 'pshop', action: 'ps', cols: 160, rows: 40 });
      const tab = attachTerminal(app, ps.terminal.id, 160, 40);
      try {
        await waitForText(tab.term, /pshop_web_1\s.*Up/);
        expect((await tab.exit).code).toBe(0);
      } finally {
        tab.stop();
      }
      const down = await app.api.docker.composeRun({ project: 'pshop', action: 'down', confirmed: true, cols: 120, rows: 30 });
      expect(down.command).toMatch(/^DOCKER_HOST=\S+ docker-compose -p pshop .* down$/);
      const downTab = attachTerminal(app, down.terminal.id);
      try {
        expect((await downTab.exit).code).toBe(0);
      } finally {
        downTab.stop();
      }
      expect((await app.api.docker.containers({ all: true })).filter((c) => c.compose?.project === 'pshop')).toEqual([]);
    },
    120_000,
  );

  it('runs cheats with podman, through the same template path, against this engine', async () => {
    expect((await app.api.docker.render({ id: 'ps-all', values: {} })).command).toBe('podman ps -a');
    expect((await app.api.docker.containerCommand({ action: 'stop', container: 'loner' })).command).toBe('podman stop loner');
    const { command, output } = await runCheatOutput(app, 'ps-all', {});
    expect(command).toBe('podman ps -a');
    expect(output).toContain('shop-web');
    expect(output).toContain('loner');
  });

  it.skipIf(!existsSync(cliBundle))('the CLI: lanyard docker engines, use, and run with podman against the picked engine', () => {
    const lanyard = (args: string[]) =>
      execFileSync(nodeBin, [cliBundle, 'docker', ...args], {
        env: { ...env, NO_COLOR: '1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(lanyard(['use', 'podman:rootless'])).toMatch(/^Using Podman 4\.\d+\.\d+ at unix:\/\/.*podman\.sock/);
    expect(lanyard(['engines'])).toMatch(/^\* podman:rootless +unix:\/\/.*podman\.sock +from podman$/m);
    // Named as what it is, as `use` names it (it said "Docker engine 4.3.1").
    expect(lanyard(['engine'])).toMatch(/^Podman 4\.\d+\.\d+ at unix:\/\/.*podman\.sock \(API 1\.\d+, from podman\)$/m);
    const run = execFileSync(nodeBin, [cliBundle, 'docker', 'run', 'ps-all'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(run).toContain('shop-web');
    expect(run).toContain('loner');
  });

  it('back to automatic: the docker CLI’s engine again', async () => {
    const status = await app.api.docker.chooseEndpoint({ id: null });
    expect(status).toMatchObject({ chosen: false, endpointId: 'context:default' });
    expect((await app.api.docker.render({ id: 'ps-all', values: {} })).command).toBe('docker ps -a');
  });
});
