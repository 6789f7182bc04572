import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpointWarning, resolveDockerEndpoint } from '../../../main/docker/endpoint.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** A real docker config folder on disk, laid out as the docker CLI writes it. */
function dockerConfig(contexts: Record<string, string>, current?: string): string {
  const dir = tempDir('lanyard-docker-config-');
  for (const [name, host] of Object.entries(contexts)) {
    const metaDir = path.join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(
      path.join(metaDir, 'meta.json'),
      JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }),
    );
  }
  if (current) writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: {}, currentContext: current }));
  return dir;
}

describe('resolveDockerEndpoint follows the docker CLI', () => {
  const config = dockerConfig(
    { 'desktop-linux': 'unix:///home/me/.docker/desktop/docker.sock', remote: 'tcp://10.0.0.5:2375' },
    'desktop-linux',
  );

  it('uses the platform default with nothing set', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: tempDir() })).toEqual({
      id: 'context:default',
      host: 'unix:///var/run/docker.sock',
      source: 'default',
      context: null,
      tls: null,
    });
  });

  it('reads currentContext from config.json and the context store', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config })).toEqual({
      id: 'context:desktop-linux',
      host: 'unix:///home/me/.docker/desktop/docker.sock',
      source: 'config.json',
      context: 'desktop-linux',
      tls: null,
    });
  });

  it('prefers DOCKER_CONTEXT over config.json', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'remote' })).toMatchObject({
      host: 'tcp://10.0.0.5:2375',
      source: 'DOCKER_CONTEXT',
    });
  });

  it('prefers DOCKER_HOST over any context', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'remote', DOCKER_HOST: 'unix:///tmp/x.sock' })).toMatchObject({
      host: 'unix:///tmp/x.sock',
      source: 'DOCKER_HOST',
    });
  });

  it('prefers flags over the environment', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///tmp/x.sock' }, { context: 'remote' })).toMatchObject({
      host: 'tcp://10.0.0.5:2375',
      source: 'flag',
    });
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config }, { host: 'tcp://127.0.0.1:1' })).toMatchObject({
      host: 'tcp://127.0.0.1:1',
      source: 'flag',
    });
  });

  it('treats the context named "default" as the default socket', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default' })).toMatchObject({
      host: 'unix:///var/run/docker.sock',
      context: 'default',
    });
  });

  it('explains a context that does not exist', () => {
    expect(() => resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'gone' })).toThrow(
      /Docker context "gone".*docker context ls/,
    );
  });
});

describe('resolveDockerEndpoint takes TLS from where the docker CLI does', () => {
  const config = dockerConfig({ tls: 'tcp://engine.test:2376', plain: 'tcp://engine.test:2375' });

  it('DOCKER_TLS_VERIFY: TLS required, certificates from DOCKER_CERT_PATH, else the docker config folder', () => {
    expect(
      resolveDockerEndpoint({
        DOCKER_CONFIG: config,
        DOCKER_HOST: 'tcp://10.0.0.5:2375',
        DOCKER_TLS_VERIFY: '1',
        DOCKER_CERT_PATH: '/certs',
      }).tls,
    ).toEqual({ dir: '/certs', required: true });
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_TLS_VERIFY: '1' }).tls).toEqual({
      dir: config,
      required: true,
    });
  });

  it('port 2376 is TLS without DOCKER_TLS_VERIFY, as the docker CLI treats it; 2375 is plain and flagged insecure', () => {
    const tls = resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_HOST: 'tcp://10.0.0.5:2376' });
    expect(tls.tls).toEqual({ dir: config, required: false });
    expect(endpointWarning(tls)).toBeNull();
    const plain = resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_HOST: 'tcp://10.0.0.5:2375' });
    expect(plain.tls).toBeNull();
    expect(endpointWarning(plain)).toMatch(/plain TCP.*unencrypted and unauthenticated.*DOCKER_TLS_VERIFY/);
  });

  it('DOCKER_TLS asks for TLS too (verified: Lanyard never skips the check), with whatever certificates are there', () => {
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_TLS: '1' }).tls).toEqual({
      dir: config,
      required: false,
    });
  });

  it('sockets never use TLS nor carry a warning', () => {
    const socket = resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_HOST: 'unix:///tmp/x.sock', DOCKER_TLS_VERIFY: '1' });
    expect(socket.tls).toBeNull();
    expect(endpointWarning(socket)).toBeNull();
  });

  it('a context with TLS material uses its own store (contexts/tls/<id>/docker)', () => {
    const id = createHash('sha256').update('tls').digest('hex');
    const dir = path.join(config, 'contexts', 'tls', id, 'docker');
    mkdirSync(dir, { recursive: true });
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'tls' }).tls).toEqual({ dir, required: true });
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'plain' }).tls).toBeNull();
  });
});
