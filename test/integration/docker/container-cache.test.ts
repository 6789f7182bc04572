// Issue 16, point 5 against a real engine: the container cache behind suggestions — one listing, then the
// engine's events applied (a new container appears, a renamed one changes, a removed one goes), and a plain
// listing again when the event stream is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainerCache, type ContainerCache } from '../../../main/docker/container-cache.ts';
import { connectEngine, type Engine } from '../../../main/docker/engine.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';

const peers = dockerPeers();

describe.skipIf(!peers)('container cache kept by /events (real dockerd)', () => {
  let engine: TestEngine;
  let client: Engine;
  let cache: ContainerCache;
  const names = async () => (await cache.list()).map((c) => c.name).sort();
  /** The cache follows the engine within this long: events travel on their own connection. */
  const eventually = async (expected: string[]) => {
    const deadline = Date.now() + 10_000;
    while (JSON.stringify(await names()) !== JSON.stringify(expected)) {
      if (Date.now() > deadline) expect(await names()).toEqual(expected);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    engine = await startTestEngine();
    engine.cli(['create', '--pull=never', '--name', 'first', testImage, 'true']);
    client = connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null });
    cache = createContainerCache(client);
  }, 120_000);
  afterAll(async () => {
    cache?.close();
    await engine?.stop();
  });

  it('lists once, then follows creates, renames, state changes and removals', async () => {
    expect(await names()).toEqual(['first']);
    engine.cli(['run', '--pull=never', '-d', '--name', 'second', testImage, 'sleep', '600']);
    await eventually(['first', 'second']);
    expect((await cache.list()).find((c) => c.name === 'second')?.state).toBe('running');
    engine.cli(['rename', 'first', 'renamed']);
    await eventually(['renamed', 'second']);
    engine.cli(['kill', 'second']);
    const deadline = Date.now() + 10_000;
    while ((await cache.list()).find((c) => c.name === 'second')?.state !== 'exited' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect((await cache.list()).find((c) => c.name === 'second')?.state).toBe('exited');
    engine.cli(['rm', 'renamed', 'second']);
    await eventually([]);
  });

  it('a burst of 40 containers lands whole', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
    await Promise.all(ids.map((name) => client.json('POST', '/containers/create', { name }, { Image: testImage, Cmd: ['true'] })));
    await eventually(ids);
    await Promise.all(ids.map((name) => client.json('DELETE', `/containers/${name}`)));
    await eventually([]);
  });

  it('lists afresh when the engine has no event stream to give', async () => {
    const gone = createContainerCache(
      connectEngine({ id: 'DOCKER_HOST', host: `unix://${engine.dir}/no-such.sock`, source: 'DOCKER_HOST', context: null, tls: null }),
    );
    await expect(gone.list()).rejects.toMatchObject({ code: 'unavailable' });
    gone.close();
  });
});
