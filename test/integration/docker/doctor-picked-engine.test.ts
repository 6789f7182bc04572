// Doctor checks the engine Lanyard uses — the one picked in the engine picker (kept in the data folder) — not
// only the docker CLI's default. Two real engines: the private dockerd (the docker CLI's, via DOCKER_HOST) and
// the private Podman service (found at the rootless socket); the picker switched through the service, Doctor
// asked through its own API each time, as the Doctor view does.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { dockerPeers, startTestEngine, type TestEngine } from '../../support/dockerd.ts';
import { podmanPeer, startTestPodman, type TestPodman } from '../../support/podman.ts';
import { tempDir } from '../../support/temp-dir.ts';

const peers = dockerPeers() && podmanPeer();

describe.skipIf(!peers)('Doctor follows the engine picked in Lanyard (dockerd and Podman)', () => {
  const home = tempDir();
  let engine: TestEngine;
  let podman: TestPodman;
  let app: InProcess;

  const dockerCheck = async () => {
    const report = await app.api.doctor.report({ only: ['docker'] });
    const check = report.tools.find((c) => c.id === 'docker')!;
    return { ...check, fact: (label: string) => check.facts.find((f) => f.label === label)?.value };
  };

  beforeAll(async () => {
    [engine, podman] = await Promise.all([startTestEngine(), startTestPodman()]);
    const { CONTAINER_HOST: _container, ...podmanEnv } = podman.env;
    app = startInProcess({
      env: { ...podmanEnv, ...engine.env, XDG_RUNTIME_DIR: podman.runtimeDir, DOCKER_CONFIG: tempDir(), LANYARD_HOME: home },
    });
  }, 180_000);
  afterAll(async () => {
    await app?.host.close();
    await podman?.stop();
    await engine?.stop();
  });

  it('nothing picked: the docker CLI’s engine (DOCKER_HOST, the private dockerd)', async () => {
    const version = engine.cli(['version', '--format', '{{.Server.Version}}']).trim();
    const check = await dockerCheck();
    expect(check).toMatchObject({ status: 'ok', version });
    expect(check.detail.startsWith(`Engine ${version} reachable at ${engine.host}`)).toBe(true);
    expect(check.fact('Resolved from')).toBe('DOCKER_HOST');
  });

  it('Podman picked in the picker: Doctor checks Podman, and names the docker CLI’s engine beside it', async () => {
    await app.api.docker.chooseEndpoint({ id: 'podman:rootless' });
    const version = podman.cli(['version', '--format', '{{.Server.Version}}']).trim();
    const check = await dockerCheck();
    expect(check).toMatchObject({
      status: 'ok',
      version,
      detail: expect.stringMatching(new RegExp(`^Podman engine ${version} reachable at ${podman.host} \\(API 1\\.41\\)`)),
    });
    expect(check.fact('Endpoint')).toBe(podman.host);
    expect(check.fact('Resolved from')).toBe('picked in Lanyard (podman:rootless)');
    expect(check.fact("docker CLI's engine")).toBe(`${engine.host} (from DOCKER_HOST)`);
  });

  it('Podman stopped (its socket gone): the pick no longer exists, said so, and the docker CLI’s engine is checked', async () => {
    await podman.stop();
    const check = await dockerCheck();
    expect(check.status).toBe('warn');
    expect(check.detail).toMatch(/^Engine .* reachable at .*The engine picked in Lanyard \(podman:rootless\) no longer exists/);
    expect(check.fact('Endpoint')).toBe(engine.host);
    expect(check.fact('Picked in Lanyard')).toMatch(/^podman:rootless, which no longer exists/);
  });

  it('the picked engine there but not answering: Doctor says the one in use is not reachable', async () => {
    mkdirSync(path.join(podman.runtimeDir, 'podman'), { recursive: true });
    const dead = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dead.listen(path.join(podman.runtimeDir, 'podman', 'podman.sock'), resolve));
    try {
      const check = await dockerCheck();
      expect(check.status).toBe('warn');
      expect(check.detail).toMatch(/^Engine not reachable: /);
      expect(check.fact('Endpoint')).toBe(podman.host);
      expect(check.fact('Resolved from')).toBe('picked in Lanyard (podman:rootless)');
    } finally {
      dead.close();
      rmSync(path.dirname(podman.runtimeDir), { recursive: true, force: true });
    }
  });

  it('back to automatic in the picker: the docker CLI’s engine again', async () => {
    await app.api.docker.chooseEndpoint({ id: null });
    const check = await dockerCheck();
    expect(check.status).toBe('ok');
    expect(check.fact('Endpoint')).toBe(engine.host);
  });

  it('a pick that no longer exists (a removed context): said so, and the engine used instead is checked', async () => {
    mkdirSync(path.join(home, 'docker'), { recursive: true });
    writeFileSync(path.join(home, 'docker', 'engine.json'), JSON.stringify({ endpoint: 'context:gone' }));
    const check = await dockerCheck();
    expect(check.status).toBe('warn');
    expect(check.detail).toMatch(/reachable at .*The engine picked in Lanyard \(context:gone\) no longer exists/);
    expect(check.fact('Endpoint')).toBe(engine.host);
  });
});
