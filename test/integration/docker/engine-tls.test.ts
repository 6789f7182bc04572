// The Engine API client and Doctor against a real dockerd listening on tcp://127.0.0.1 with --tlsverify
// (certificates made by openssl), and against fakes on loopback (named as fakes) for what a real engine never
// does: a plaintext listener that records what reaches it, and an "engine" whose answers are oversized.
import { mkdirSync, copyFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../main/contract/errors.ts';
import { createDockerService } from '../../../main/docker/service.ts';
import { resolveDockerEndpoint } from '../../../main/docker/endpoint.ts';
import { connectEngine } from '../../../main/docker/engine.ts';
import { engineBodyCap } from '../../../main/docker/engine-http.ts';
import { listContainers } from '../../../main/docker/listings.ts';
import { eventLineCap, followEvents } from '../../../main/docker/streams.ts';
import { checks } from '../../../main/docker/checks.ts';
import { dockerPeers, selfSignedCert, startTestEngine, type TestEngine } from '../../support/dockerd.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const peers = dockerPeers();
const openssl = findPeer('openssl', 'apt-get install openssl');
const dockerCheck = checks.find((c) => c.id === 'docker')!;

/** A loopback server; closed after the file. */
async function listen<T extends net.Server>(server: T): Promise<{ server: T; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, port: (server.address() as net.AddressInfo).port };
}

describe.skipIf(!peers || !openssl)('a real TLS engine (dockerd --tlsverify on 127.0.0.1)', () => {
  let engine: TestEngine;
  let tlsEnv: NodeJS.ProcessEnv;
  const home = tempDir();
  beforeAll(async () => {
    engine = await startTestEngine({ tls: true });
    tlsEnv = { ...engine.env, DOCKER_HOST: engine.tls!.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: engine.tls!.certDir };
  }, 120_000);
  afterAll(() => engine?.stop());

  it('is used over TLS with the client certificate from DOCKER_CERT_PATH: status, listings, Doctor', async () => {
    const server = JSON.parse(engine.cli(['version', '--format', '{{json .Server}}'])) as { Version: string; ApiVersion: string };
    engine.cli(['create', '--pull=never', '--name', 'over-tls', 'busybox:latest', 'true']);
    const docker = createDockerService({ dataDir: home, env: tlsEnv });
    expect(await docker.status()).toMatchObject({
      reachable: true,
      host: engine.tls!.host,
      engineVersion: server.Version,
      warning: null,
      problem: null,
    });
    expect((await listContainers(docker.engine(), true)).map((c) => c.name)).toContain('over-tls');
    const doctor = await dockerCheck.run(tlsEnv);
    expect(doctor).toMatchObject({
      status: 'ok',
      version: server.Version,
      detail: expect.stringContaining(`reachable at ${engine.tls!.host} (API ${server.ApiVersion})`),
    });
    expect(doctor.facts).toContainEqual({ label: 'Security', value: `TLS, verified (${engine.tls!.certDir})` });
  });

  it('port 2376 semantics aside, plain HTTP to it is "not an engine", never "reachable" (Doctor said "Engine reachable (API )")', async () => {
    const plainEnv = { ...engine.env, DOCKER_HOST: engine.tls!.host };
    const status = await createDockerService({ dataDir: home, env: plainEnv }).status();
    expect(status).toMatchObject({ reachable: false, engineVersion: null });
    expect(status.problem).toMatch(/answered \/_ping with HTTP 400.*not as a Docker engine does/);
    expect(status.hint).toMatch(/DOCKER_TLS_VERIFY/);
    const doctor = await dockerCheck.run(plainEnv);
    expect(doctor.status).toBe('warn');
    expect(doctor.detail).not.toMatch(/reachable at/);
    expect(doctor.detail).toMatch(/not as a Docker engine does.*DOCKER_TLS_VERIFY/);
  });

  it('verification is on: an engine certificate from another CA is refused', async () => {
    const dir = path.join(home, 'other-ca');
    mkdirSync(dir);
    selfSignedCert(openssl!, { key: path.join(dir, 'ca-key.pem'), cert: path.join(dir, 'ca.pem') }, '/CN=Not the engine CA');
    for (const file of ['cert.pem', 'key.pem']) copyFileSync(path.join(engine.tls!.certDir, file), path.join(dir, file));
    const status = await createDockerService({ dataDir: home, env: { ...tlsEnv, DOCKER_CERT_PATH: dir } }).status();
    expect(status).toMatchObject({ reachable: false });
    // What to change, not Node's advice to run it with --use-system-ca, nor "check that the engine is running".
    expect(status.problem).toContain(`showed a certificate that ${dir}/ca.pem did not sign (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`);
    expect(status.problem).not.toMatch(/Node\.js|use-system-ca/);
    expect(status.hint).toMatch(/^Point DOCKER_CERT_PATH .* ca\.pem, cert\.pem and key\.pem/);
  });

  it("a client certificate the engine's CA did not sign is the engine's refusal, said so (not OpenSSL's source line)", async () => {
    const dir = path.join(home, 'other-client');
    mkdirSync(dir);
    selfSignedCert(openssl!, { key: path.join(dir, 'key.pem'), cert: path.join(dir, 'cert.pem') }, '/CN=Not a client of the engine');
    copyFileSync(path.join(engine.tls!.certDir, 'ca.pem'), path.join(dir, 'ca.pem'));
    const status = await createDockerService({ dataDir: home, env: { ...tlsEnv, DOCKER_CERT_PATH: dir } }).status();
    expect(status).toMatchObject({ reachable: false });
    expect(status.problem).toMatch(new RegExp(`refused this client's certificate \\(${dir}/cert\\.pem; TLS alert [A-Z_/0-9]+\\)`));
    expect(status.problem).not.toMatch(/rec_layer|openssl/);
    expect(status.hint).toMatch(/client certificate signed by the CA the engine trusts/);
  });

  it('DOCKER_TLS_VERIFY with the certificates missing is a clear error naming the file, and nothing is sent', async () => {
    const status = await createDockerService({ dataDir: home, env: { ...tlsEnv, DOCKER_CERT_PATH: path.join(home, 'nowhere') } }).status();
    expect(status).toMatchObject({ reachable: false });
    expect(status.problem).toMatch(/nowhere\/ca\.pem cannot be read \(ENOENT\)\.$/);
    expect(status.hint).toMatch(/^Point DOCKER_CERT_PATH/);
  });
});

describe.skipIf(!openssl)('no plaintext request reaches an engine when TLS is asked for', () => {
  it('the first bytes on the wire are a TLS ClientHello when DOCKER_TLS_VERIFY asks for TLS', async () => {
    // A fake: a plain TCP listener that records the first bytes of each connection and hangs up.
    const first: Buffer[] = [];
    const { port } = await listen(
      net.createServer((socket) => {
        socket.once('data', (data: Buffer) => {
          first.push(data);
          socket.destroy();
        });
      }),
    );
    const certDir = tempDir();
    selfSignedCert(openssl!, { key: path.join(certDir, 'key.pem'), cert: path.join(certDir, 'cert.pem') }, '/CN=client');
    copyFileSync(path.join(certDir, 'cert.pem'), path.join(certDir, 'ca.pem'));
    const endpoint = resolveDockerEndpoint({ DOCKER_HOST: `tcp://127.0.0.1:${port}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir });
    await expect(connectEngine(endpoint).apiVersion()).rejects.toBeInstanceOf(ServiceError);
    expect(first).toHaveLength(1);
    // 0x16 = TLS handshake record, 0x01 = ClientHello; a plaintext request would start "GET /_ping".
    expect(first[0]![0]).toBe(0x16);
    expect(first[0]![5]).toBe(0x01);
    expect(first[0]!.toString('latin1')).not.toContain('GET ');
  });
});

describe('an engine answer larger than its cap is refused with an error naming the cap', () => {
  /** A fake engine on loopback: answers /_ping as dockerd does, then oversized listings and events. */
  async function fakeEngine(): Promise<string> {
    const { port } = await listen(
      http.createServer((request, response) => {
        if (request.url === '/_ping') {
          response.writeHead(200, { 'Api-Version': '1.45', 'Content-Type': 'text/plain' }).end('OK');
        } else if (request.url === '/v1.45/version') {
          response
            .writeHead(200, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ Version: '99.0.0-fake', ApiVersion: '1.45' }));
        } else if (request.url?.startsWith('/v1.45/containers/json')) {
          // Chunked, no Content-Length: the cap must hold while reading, not only on the header.
          response.writeHead(200, { 'Content-Type': 'application/json' });
          const chunk = Buffer.alloc(1024 * 1024, 0x20);
          response.write('[');
          let sent = 0;
          const more = () => {
            while (sent < engineBodyCap / chunk.length + 4) {
              sent++;
              if (!response.write(chunk)) return void response.once('drain', more);
            }
            response.end(']');
          };
          response.on('error', () => undefined);
          more();
        } else if (request.url?.startsWith('/v1.45/images/json')) {
          response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(engineBodyCap + 1) }).flushHeaders();
        } else if (request.url?.startsWith('/v1.45/events')) {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.write(`{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"web"}},"time":1}\n`);
          response.write(`{"Type":"container","Action":"${'x'.repeat(eventLineCap + 10)}`);
        } else response.writeHead(404).end('{"message":"no"}');
      }),
    );
    return `tcp://127.0.0.1:${port}`;
  }

  it('(the same fake, answering as an engine) plain tcp:// is usable but flagged insecure in the status and Doctor', async () => {
    const env = { DOCKER_HOST: await fakeEngine(), DOCKER_CONFIG: tempDir() };
    const status = await createDockerService({ dataDir: tempDir(), env }).status();
    expect(status).toMatchObject({
      reachable: true,
      engineVersion: '99.0.0-fake',
      warning: expect.stringMatching(/plain TCP.*unencrypted and unauthenticated/),
    });
    const doctor = await dockerCheck.run(env);
    expect(doctor).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/reachable at tcp:\/\/127\.0\.0\.1:\d+ \(API 1\.45\)\. Insecure: /),
    });
  });

  it('a 33 MB container listing (streamed) and a Content-Length over 32 MB', async () => {
    const engine = connectEngine(resolveDockerEndpoint({ DOCKER_HOST: await fakeEngine() }));
    await expect(listContainers(engine, true)).rejects.toThrow(/GET \/v1\.45\/containers\/json.*larger than 32 MB/);
    await expect(engine.json('GET', '/images/json')).rejects.toThrow(/larger than 32 MB/);
  });

  it('an /events line over the cap ends the stream with an error, after the events before it', async () => {
    const engine = connectEngine(resolveDockerEndpoint({ DOCKER_HOST: await fakeEngine() }));
    const events: unknown[] = [];
    await expect(followEvents(engine, (e) => events.push(e), new AbortController().signal)).rejects.toThrow(
      /\/events line longer than 1024 kB/,
    );
    expect(events).toEqual([{ type: 'container', action: 'start', id: 'abc', name: 'web', time: 1 }]);
  });
});
