// Podman as an engine (issue 16, point 3), against Debian's podman serving its Docker-compatible API on a
// private socket where a rootless one lives: found and listed like an engine, picked in Lanyard (the choice kept
// across restarts), its API version negotiated, containers listed with their pods as groups, events followed,
// and cheats run with `podman` (CONTAINER_HOST pointing at the engine in use).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../main/docker/contract.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { podmanPeer, startTestPodman, type TestPodman } from '../../support/podman.ts';
import { dockerPeers } from '../../support/dockerd.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { runCheatOutput } from '../../support/run-cheat.ts';

const peers = podmanPeer() && dockerPeers();

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
    env = { ...rest, XDG_RUNTIME_DIR: podman.runtimeDir, DOCKER_CONFIG: tempDir(), LANYARD_HOME: home, SHELL: '/bin/sh' };
    app = startInProcess({ env });
  }, 120_000);
  afterAll(async () => {
    await app?.host.close();
    await podman?.stop();
  });

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
