// Docker contexts and TLS against a real dockerd listening on tcp://127.0.0.1 with --tlsverify, its server and
// client certificates issued by Lanyard's own CA (the certs tool, in process). Contexts are made by the real
// docker CLI (`docker context create … ca=,cert=,key=`, which copies the TLS material into its store): the
// current context is used over TLS with that material; each context is listed and can be picked; a context
// without TLS material speaking to the TLS engine is Doctor's clear "this engine speaks TLS" error, never
// "reachable"; a cheat run in a terminal goes to the picked context.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checks } from '../../../main/docker/checks.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { dockerPeers, startTestEngine, type TestEngine } from '../../support/dockerd.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { runCheatOutput } from '../../support/run-cheat.ts';
import { tempDir } from '../../support/temp-dir.ts';

const peers = dockerPeers();
const dockerCheck = checks.find((c) => c.id === 'docker')!;

/** The engine's and a client's certificates, from Lanyard's CA (created on first issue in a temp CAROOT). */
async function lanyardCaMaterial(dir: string): Promise<{ caDir: string; certDir: string }> {
  const caRoot = path.join(dir, 'caroot');
  const caDir = path.join(dir, 'tls-ca');
  const certDir = path.join(dir, 'tls-client');
  for (const d of [caRoot, caDir, certDir]) mkdirSync(d);
  const certs = startInProcess({ env: { ...process.env, CAROOT: caRoot, LANYARD_HOME: path.join(dir, 'lanyard-certs') } });
  try {
    await certs.api.certs.issue({
      names: ['127.0.0.1', 'localhost'],
      dir: caDir,
      certFile: path.join(caDir, 'server-cert.pem'),
      keyFile: path.join(caDir, 'server-key.pem'),
    });
    await certs.api.certs.issue({
      names: ['docker-client'],
      client: true,
      dir: certDir,
      certFile: path.join(certDir, 'cert.pem'),
      keyFile: path.join(certDir, 'key.pem'),
    });
    const { ca } = await certs.api.certs.ca({});
    copyFileSync(ca!.certFile, path.join(caDir, 'ca.pem'));
    copyFileSync(ca!.certFile, path.join(certDir, 'ca.pem'));
  } finally {
    await certs.host.close();
  }
  return { caDir, certDir };
}

describe.skipIf(!peers)('contexts and TLS (dockerd --tlsverify, certificates from Lanyard’s CA)', () => {
  let engine: TestEngine;
  let env: NodeJS.ProcessEnv;
  let app: InProcess;

  beforeAll(async () => {
    engine = await startTestEngine({ tls: lanyardCaMaterial });
    const { certDir, host } = engine.tls!;
    engine.cli(['create', '--pull=never', '--name', 'tls-only', 'busybox:latest', 'true']);
    const { DOCKER_HOST: _host, ...rest } = engine.env;
    env = { ...rest, LANYARD_HOME: tempDir(), SHELL: '/bin/sh' };
    engine.cli([
      'context',
      'create',
      'secure',
      '--docker',
      `host=${host},ca=${certDir}/ca.pem,cert=${certDir}/cert.pem,key=${certDir}/key.pem`,
    ]);
    engine.cli(['context', 'create', 'plain', '--docker', `host=${host}`]);
    // `docker context use` writes currentContext into config.json (DOCKER_HOST would override it: env has none).
    execFileSync(engine.docker, ['context', 'use', 'secure'], { env, stdio: 'ignore' });
    app = startInProcess({ env });
  }, 120_000);
  afterAll(async () => {
    await app?.host.close();
    await engine?.stop();
  });

  it('the current context (config.json) is used over TLS with the context’s own material', async () => {
    const status = await app.api.docker.engine({});
    expect(status).toMatchObject({
      reachable: true,
      source: 'config.json',
      context: 'secure',
      endpointId: 'context:secure',
      host: engine.tls!.host,
      warning: null,
    });
    expect((await app.api.docker.containers({ all: true })).map((c) => c.name)).toContain('tls-only');
    const doctor = await dockerCheck.run(env);
    expect(doctor.status).toBe('ok');
    expect(doctor.facts).toContainEqual({
      label: 'Security',
      value: expect.stringMatching(/^TLS, verified \(.*contexts\/tls\/[0-9a-f]{64}\/docker\)$/),
    });
  });

  it('lists every context and switches to one; a context without TLS material gets the clear TLS error', async () => {
    const { endpoints } = await app.api.docker.endpoints({});
    // The one in use first, then the docker CLI's list (default first).
    expect(endpoints.map((e) => [e.id, e.current, e.tls])).toEqual([
      ['context:secure', true, true],
      ['context:default', false, false],
      ['context:plain', false, false],
    ]);
    const plain = await app.api.docker.chooseEndpoint({ id: 'context:plain' });
    expect(plain).toMatchObject({ chosen: true, context: 'plain', reachable: false, engineVersion: null });
    expect(plain.problem).toMatch(/answered \/_ping with HTTP 400.*not as a Docker engine does/);
    expect(plain.hint).toMatch(/DOCKER_TLS_VERIFY=1/);
    // Doctor on the same context: a warning naming TLS, never "reachable".
    const doctor = await dockerCheck.run({ ...env, DOCKER_CONTEXT: 'plain' });
    expect(doctor.status).toBe('warn');
    expect(doctor.detail).not.toMatch(/reachable at/);
    expect(doctor.detail).toMatch(/DOCKER_TLS_VERIFY/);
  });

  it.skipIf(!existsSync(cliBundle))('the CLI: a context picked with `lanyard docker use` is named once in `lanyard docker engine`', () => {
    const lanyard = (args: string[]) =>
      execFileSync(nodeBin, [cliBundle, 'docker', ...args], {
        env: { ...env, NO_COLOR: '1' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    // Another context than the docker CLI's current one, so the pick is Lanyard's own (source "context").
    const { certDir, host } = engine.tls!;
    engine.cli([
      'context',
      'create',
      'mirror',
      '--docker',
      `host=${host},ca=${certDir}/ca.pem,cert=${certDir}/cert.pem,key=${certDir}/key.pem`,
    ]);
    expect(lanyard(['use', 'context:mirror'])).toBe(
      `Using Docker engine ${engine.cli(['version', '--format', '{{.Server.Version}}']).trim()} at ${engine.tls!.host}\n`,
    );
    // It said "from context context secure".
    expect(lanyard(['engine'])).toMatch(
      new RegExp(`^Docker engine \\S+ at ${engine.tls!.host} \\(API 1\\.\\d+, from context mirror\\)\n$`),
    );
  });

  it('an engine that is not there: the hint names the command that lists them (it named the API, docker.endpoints)', async () => {
    await expect(app.api.docker.chooseEndpoint({ id: 'context:gone' })).rejects.toMatchObject({
      code: 'not-found',
      message: 'There is no engine "context:gone" (any more).',
      hint: expect.stringContaining('`lanyard docker engines`'),
    });
  });

  it('a cheat run in a terminal goes to the picked context (DOCKER_CONTEXT), over TLS', async () => {
    await app.api.docker.chooseEndpoint({ id: 'context:secure' });
    const { command, output } = await runCheatOutput(app, 'ps-all', {});
    expect(command).toBe('docker ps -a');
    expect(output).toContain('tls-only');
  });
});
