// Doctor against a real, private Docker engine: reachable with its API version, then unreachable once stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checks } from '../../../main/docker/checks.ts';
import { dockerPeers, startTestEngine, type TestEngine } from '../../support/dockerd.ts';

const peers = dockerPeers();
const dockerCheck = checks.find((c) => c.id === 'docker')!;

describe.skipIf(!peers)('doctor and a real Docker engine', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  }, 120_000);
  afterAll(() => engine?.stop());

  it('reports the engine reachable through DOCKER_HOST, with the versions the engine itself gives', async () => {
    const version = JSON.parse(engine.cli(['version', '--format', '{{json .Server}}'])) as { Version: string; ApiVersion: string };
    const result = await dockerCheck.run(engine.env);
    expect(result.status).toBe('ok');
    expect(result.version).toBe(version.Version);
    expect(result.facts).toEqual(
      expect.arrayContaining([
        { label: 'Endpoint', value: engine.host },
        { label: 'Resolved from', value: 'DOCKER_HOST' },
        { label: 'API version', value: version.ApiVersion },
      ]),
    );
  });

  it('says the engine is not reachable, and what to do, once it stops', async () => {
    const env = engine.env;
    await engine.stop();
    const result = await dockerCheck.run(env);
    expect(result.status).toBe('warn');
    expect(result.detail).toMatch(
      /not reachable: The Docker engine is not running at unix:\/\/.*docker\.sock \(from DOCKER_HOST\)\. Start it/,
    );
    // Docker is installed: what to do is in the detail, not an install command.
    expect(result.hint).toBeNull();
  });
});
