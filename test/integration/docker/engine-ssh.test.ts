// ssh:// engines against real peers: Debian's sshd on a random loopback port (throwaway host key, the test's own
// client key) whose sessions reach the private dockerd, and the real ssh client as the user's ssh (a wrapper on
// PATH adds the test's config). Lanyard lists containers, follows events and runs a cheat over it; an unknown
// host key is a clear error with the fingerprint and the command to accept it, and nothing is written to
// known_hosts.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../main/docker/contract.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { resolveDockerEndpoint } from '../../../main/docker/endpoint.ts';
import { connectEngine } from '../../../main/docker/engine.ts';
import { listContainers } from '../../../main/docker/listings.ts';
import { followEvents } from '../../../main/docker/streams.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { sshPeers, startSshd, type TestSshd } from '../../support/sshd.ts';
import { findPeer } from '../../support/peers.ts';
import { runCheatOutput } from '../../support/run-cheat.ts';
import { tempDir } from '../../support/temp-dir.ts';

const peers = dockerPeers() && sshPeers();
const zsh = findPeer('zsh', 'apt-get install zsh');

describe.skipIf(!peers)('ssh:// engine (real sshd on loopback, real ssh client)', () => {
  let engine: TestEngine;
  let sshd: TestSshd;
  let env: NodeJS.ProcessEnv;
  const home = tempDir();

  beforeAll(async () => {
    engine = await startTestEngine();
    sshd = await startSshd({ DOCKER_HOST: engine.host });
    engine.cli([
      'run',
      '--pull=never',
      '-d',
      '--name',
      'remote-web',
      testImage,
      'sh',
      '-c',
      'trap "exit 0" TERM; while :; do sleep 1; done',
    ]);
    env = { ...engine.env, DOCKER_HOST: sshd.url, PATH: sshd.knownPath, LANYARD_HOME: home, SHELL: '/bin/sh' };
  }, 120_000);
  afterAll(async () => {
    await sshd?.stop();
    await engine?.stop();
  });

  it('lists the containers over ssh … docker system dial-stdio, reusing one ssh for request after request', async () => {
    const client = connectEngine(resolveDockerEndpoint(env), { env });
    try {
      expect((await client.probe()).engineVersion).toBe(engine.cli(['version', '--format', '{{.Server.Version}}']).trim());
      for (let i = 0; i < 5; i++) expect((await listContainers(client, true)).map((c) => c.name)).toContain('remote-web');
      // The ping, the version and five listings: one ssh, kept open between requests.
      expect(client.sshStarted()).toBe(1);
    } finally {
      client.dispose();
    }
    const perRequest = connectEngine(resolveDockerEndpoint(env), { env, pool: false });
    await listContainers(perRequest, true);
    await listContainers(perRequest, true);
    expect(perRequest.sshStarted()).toBe(3);
    perRequest.dispose();
  }, 90_000);

  it('follows /events over its own ssh while listings go on', async () => {
    const client = connectEngine(resolveDockerEndpoint(env), { env });
    const events: EngineEvent[] = [];
    const abort = new AbortController();
    const following = followEvents(client, (e) => events.push(e), abort.signal);
    // The stream's ssh may take seconds to log in on a busy machine: make containers until one is seen.
    const deadline = Date.now() + 45_000;
    for (let i = 0; !events.some((e) => e.name.startsWith('watched-')) && Date.now() < deadline; i++) {
      engine.cli(['create', '--pull=never', '--name', `watched-${i}`, testImage, 'true']);
      expect((await listContainers(client, true)).map((c) => c.name)).toContain(`watched-${i}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    abort.abort();
    await following;
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'container', action: 'create', name: expect.stringMatching(/^watched-/) }),
    );
    expect(client.sshStarted()).toBe(2);
    client.dispose();
  }, 90_000);

  // zsh: a login shell that keeps the PATH it is given (dash and bash reset it from /etc/profile), so the
  // terminal's docker finds the test's ssh wrapper as a user's docker finds their ssh.
  it.skipIf(!zsh)(
    'the service: status, suggestions and a cheat run in a terminal whose docker goes over the same ssh',
    async () => {
      const app = startInProcess({ env: { ...env, SHELL: zsh! } });
      try {
        expect(await app.api.docker.engine({})).toMatchObject({
          reachable: true,
          host: sshd.url,
          source: 'DOCKER_HOST',
          flavour: 'docker',
          warning: null,
        });
        expect((await app.api.docker.suggest({ kind: 'container', state: 'running' })).map((s) => s.value)).toEqual(['remote-web']);
        const { command, output } = await runCheatOutput(app, 'ps', {});
        expect(command).toBe('docker ps');
        expect(output).toContain('remote-web');
      } finally {
        await app.host.close();
      }
    },
    90_000,
  );

  it('an unknown host key: a clear error with its fingerprint and the ssh command to accept it; nothing accepted', async () => {
    const app = startInProcess({ env: { ...env, PATH: sshd.unknownPath, LANYARD_HOME: tempDir() } });
    try {
      const status = await app.api.docker.engine({});
      expect(status.reachable).toBe(false);
      expect(status.problem).toContain('ssh does not know the host key of root@127.0.0.1:');
      expect(status.problem).toContain(sshd.fingerprint);
      expect(status.problem).toContain('Lanyard never accepts a host key for you');
      expect(status.hint).toContain(`ssh -p ${sshd.port} -l root 127.0.0.1 true`);
      expect(readFileSync(sshd.knownHosts.unknown, 'utf8')).toBe('');
    } finally {
      await app.host.close();
    }
  });
});
