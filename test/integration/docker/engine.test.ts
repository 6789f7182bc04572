// The Engine API client against a real dockerd: negotiation, listings, suggestions, /events, logs, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../main/docker/contract.ts';
import { ServiceError } from '../../../main/contract/errors.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { connectEngine } from '../../../main/docker/engine.ts';
import { dockerPeers, runDetached, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { tempDir } from '../../support/temp-dir.ts';

const peers = dockerPeers();

describe.skipIf(!peers)('Docker engine client (real dockerd)', () => {
  let engine: TestEngine;
  let lanyard: InProcess;
  const home = tempDir();

  beforeAll(async () => {
    engine = await startTestEngine();
    lanyard = startInProcess({ env: { ...engine.env, LANYARD_HOME: home } });
    runDetached(engine, 'web', 'echo started; echo oops >&2; while :; do sleep 1; done');
    engine.cli(['create', '--pull=never', '--name', 'idle', testImage, 'true']);
    engine.cli(['volume', 'create', 'data']);
    engine.cli(['network', 'create', 'backend']);
  });
  afterAll(async () => {
    lanyard?.host.close();
    await engine?.stop();
  });

  it('negotiates the API version from /_ping and shows where the engine is', async () => {
    const status = await lanyard.api.docker.engine({});
    expect(status).toMatchObject({ reachable: true, host: engine.host, source: 'DOCKER_HOST', problem: null });
    expect(status.apiVersion).toMatch(/^1\.\d+$/);
    // dockerd 20.10 speaks 1.41: older than ours, so we speak its version.
    const ping = engine.cli(['version', '--format', '{{.Server.APIVersion}}']).trim();
    expect(status.apiVersion).toBe(ping);
    expect(status.engineVersion).toBeTruthy();
  });

  it('lists containers (running, then all) with names, images and states', async () => {
    const running = await lanyard.api.docker.containers({});
    expect(running.map((c) => c.name)).toEqual(['web']);
    expect(running[0]).toMatchObject({ image: testImage, state: 'running' });
    const all = await lanyard.api.docker.containers({ all: true });
    expect(all.map((c) => c.name).sort()).toEqual(['idle', 'web']);
  });

  it('suggests the real containers, images, volumes and networks', async () => {
    const runningOnly = await lanyard.api.docker.suggest({ kind: 'container', state: 'running' });
    expect(runningOnly.map((s) => s.value)).toEqual(['web']);
    expect(runningOnly[0]!.detail).toContain(testImage);
    const any = await lanyard.api.docker.suggest({ kind: 'container', state: 'any' });
    expect(any.map((s) => s.value)).toEqual(['web', 'idle']);
    expect((await lanyard.api.docker.suggest({ kind: 'image' })).map((s) => s.value)).toContain(testImage);
    expect((await lanyard.api.docker.suggest({ kind: 'volume' })).map((s) => s.value)).toContain('data');
    expect((await lanyard.api.docker.suggest({ kind: 'network' })).map((s) => s.value)).toEqual(
      expect.arrayContaining(['backend', 'none', 'host']),
    );
    expect((await lanyard.api.docker.suggest({ kind: 'context' })).map((s) => s.value)).toEqual(['default']);
    expect((await lanyard.api.docker.suggest({ kind: 'choice', choices: ['sh', 'bash'] })).map((s) => s.value)).toEqual(['sh', 'bash']);
  });

  it('streams /events: a container starting and stopping shows up, and the list follows', async () => {
    const events: EngineEvent[] = [];
    const stop = lanyard.api.docker.events({}, { next: (e) => events.push(e) });
    await new Promise((r) => setTimeout(r, 300));
    engine.cli(['run', '--pull=never', '-d', '--name', 'flash', testImage, 'sleep', '30']);
    await waitFor(() => events.some((e) => e.name === 'flash' && e.action === 'start'));
    expect((await lanyard.api.docker.containers({})).map((c) => c.name)).toContain('flash');
    engine.cli(['kill', 'flash']);
    await waitFor(() => events.some((e) => e.name === 'flash' && e.action === 'die'));
    expect((await lanyard.api.docker.containers({})).map((c) => c.name)).not.toContain('flash');
    stop();
  });

  it('streams logs, stdout and stderr apart (multiplexed stream without a TTY)', async () => {
    const chunks: { stream: string; text: string }[] = [];
    await new Promise<void>((resolve, reject) =>
      lanyard.api.docker.logs({ container: 'web', follow: false }, { next: (c) => chunks.push(c), complete: resolve, error: reject }),
    );
    expect(
      chunks
        .filter((c) => c.stream === 'stdout')
        .map((c) => c.text)
        .join(''),
    ).toBe('started\n');
    expect(
      chunks
        .filter((c) => c.stream === 'stderr')
        .map((c) => c.text)
        .join(''),
    ).toBe('oops\n');
  });

  it('runs container actions through the API and says which docker command they equal', async () => {
    expect(await lanyard.api.docker.containerCommand({ action: 'remove', container: 'idle' })).toEqual({ command: 'docker rm idle' });
    expect(await lanyard.api.docker.containerAction({ action: 'restart', container: 'web' })).toEqual({ command: 'docker restart web' });
    await lanyard.api.docker.containerAction({ action: 'remove', container: 'idle' });
    expect((await lanyard.api.docker.containers({ all: true })).map((c) => c.name)).not.toContain('idle');
    await expect(lanyard.api.docker.containerAction({ action: 'stop', container: 'ghost' })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringContaining('ghost'),
    });
    await expect(lanyard.api.docker.containerAction({ action: 'stop', container: '--help' })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });

  it('gives a clear message, not a stack trace, for an engine that is not there', async () => {
    const gone = startInProcess({ env: { ...engine.env, DOCKER_HOST: `unix://${home}/nothing.sock`, LANYARD_HOME: home } });
    const status = await gone.api.docker.engine({});
    expect(status.reachable).toBe(false);
    expect(status.problem).toMatch(/not running at unix:\/\/.*nothing\.sock/);
    expect(status.hint).toMatch(/systemctl start docker|Docker Desktop/);
    const error = await gone.api.docker.containers({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(String((error as Error).message)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('refuses an unknown context with the way out', async () => {
    const ctx = startInProcess({ env: { ...engine.env, DOCKER_HOST: '', DOCKER_CONTEXT: 'nope', LANYARD_HOME: home } });
    const status = await ctx.api.docker.engine({});
    expect(status).toMatchObject({ reachable: false });
    expect(status.problem).toContain('docker context ls');
  });

  it('speaks an older API version when the engine is older (prefix follows negotiation)', async () => {
    const client = connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null });
    const version = await client.apiVersion();
    const info = await client.json<{ ApiVersion: string }>('GET', '/version');
    expect(info.ApiVersion).toBe(version);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
