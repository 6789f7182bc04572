// The pieces of remote and Podman engines that read outside text: ssh:// addresses (from DOCKER_HOST or a
// context file), the docker→podman rewrite of cheat templates (cheat files come from anywhere), the variables a
// terminal gets, and endpoint discovery from a docker config folder and a runtime dir. Fuzzed where they parse.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checks } from '../../../main/docker/checks.ts';
import { listEndpoints, resolveDockerEndpoint } from '../../../main/docker/endpoint.ts';
import { cliEnvironment, NoComposeTool, templateForEngine } from '../../../main/docker/engine-cli.ts';
import { renderCheat } from '../../../main/docker/template.ts';
import { loadBuiltinCheats } from '../../../main/docker/cheats.ts';
import { acceptCommand, parseSshHost, sshArgs } from '../../../main/docker/ssh-dial.ts';
import { cpuMs, fuzz } from '../../support/fuzz.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('ssh:// addresses', () => {
  it('reads user, host and port as the docker CLI does, and puts the host after --', () => {
    expect(parseSshHost('ssh://root@127.0.0.1:2222')).toEqual({ user: 'root', host: '127.0.0.1', port: '2222' });
    expect(parseSshHost('ssh://build-box')).toEqual({ user: null, host: 'build-box', port: null });
    expect(parseSshHost('ssh://me@[::1]:22')).toEqual({ user: 'me', host: '::1', port: '22' });
    expect(sshArgs(parseSshHost('ssh://me@box:2200'), ['docker', 'system', 'dial-stdio'])).toEqual([
      '-o',
      'BatchMode=yes',
      '-o',
      'ConnectTimeout=10',
      '-T',
      '-p',
      '2200',
      '-l',
      'me',
      '--',
      'box',
      'docker',
      'system',
      'dial-stdio',
    ]);
    expect(acceptCommand(parseSshHost('ssh://me@box:2200'), 'sh')).toBe('ssh -p 2200 -l me box true');
  });

  it.each([
    ['ssh://-oProxyCommand=touch@x', /cannot be empty or start with "-"/],
    ['ssh://me:secret@box', /password/],
    ['ssh://box/var/run/docker.sock', /no path/],
    ['tcp://box:2376', /not an ssh/],
    ['ssh://', /not an ssh|cannot be empty/],
  ])('refuses %s', (host, message) => {
    expect(() => parseSshHost(host)).toThrow(message);
  });

  it('never hands ssh an option as the host or user, whatever the address (fuzz)', () => {
    fuzz(
      fc.property(fc.string({ maxLength: 80 }), (tail) => {
        let target: ReturnType<typeof parseSshHost>;
        try {
          target = parseSshHost(`ssh://${tail}`);
        } catch {
          return; // refused with a message: fine
        }
        const args = sshArgs(target, ['docker']);
        const dashes = args.indexOf('--');
        expect(args[dashes + 1]).toBe(target.host);
        expect(target.host.startsWith('-')).toBe(false);
        expect(target.user?.startsWith('-') ?? false).toBe(false);
      }),
    );
  });
});

describe('cheats for a Podman engine: docker → podman before the template is read', () => {
  it.each([
    ['docker ps -a', 'podman ps -a'],
    ['docker ps -q | xargs -r docker rm', 'podman ps -q | xargs -r podman rm'],
    ['sudo docker info; docker network create docker', 'sudo podman info; podman network create docker'],
    ['echo "docker ps" && docker logs <c>', 'echo "docker ps" && podman logs <c>'],
    ['watch -n 1 docker ps', 'watch -n 1 podman ps'],
    ['X=1 docker ps $(docker ps -q)', 'X=1 podman ps $(podman ps -q)'],
    ["docker exec <c> sh -c 'docker ps'", "podman exec <c> sh -c 'docker ps'"],
    ['dockerd --help', 'dockerd --help'],
  ])('%s', (template, expected) => {
    expect(templateForEngine(template, 'podman')).toBe(expected);
    expect(templateForEngine(template, 'docker')).toBe(template);
  });

  it('every built-in cheat still renders (quoted the same) after the rewrite, and starts with podman or the compose tool', () => {
    const tool = 'DOCKER_HOST=unix:///run/podman/podman.sock docker-compose';
    for (const cheat of loadBuiltinCheats()) {
      const values = Object.fromEntries(cheat.placeholders.map((p) => [p.name, 'x y']));
      const asDocker = renderCheat(cheat, values, 'sh').command;
      const asPodman = renderCheat({ ...cheat, template: templateForEngine(cheat.template, 'podman', tool) }, values, 'sh').command;
      if (asDocker.startsWith('docker compose ')) expect(asPodman).toBe(asDocker.replace('docker compose', tool));
      else {
        expect(asPodman.startsWith('podman ')).toBe(true);
        expect(asPodman.replace(/\bpodman\b/g, 'docker')).toBe(asDocker);
      }
    }
  });

  it.each([
    ['docker compose up -d', 'TOOL up -d'],
    ['docker  compose;docker compose', 'TOOL;TOOL'],
    ['sudo docker compose ps | grep x', 'sudo TOOL ps | grep x'],
    ['docker composer', 'podman composer'],
    ['docker ps compose', 'podman ps compose'],
    ['echo "docker compose" && docker compose', 'echo "docker compose" && TOOL'],
  ])('Podman 4.3 has no `podman compose`: %s uses the compose tool instead', (template, expected) => {
    expect(templateForEngine(template, 'podman', 'TOOL')).toBe(expected);
    // On Docker the same words, with docker kept: where the `docker compose` plugin is missing, the tool there is.
    expect(templateForEngine(template, 'docker', 'TOOL')).toBe(expected.replaceAll('podman', 'docker'));
    expect(templateForEngine(template, 'docker', null)).toBe(template);
  });

  it('a cheat running docker compose on Podman with no compose tool installed: refused, not run as podman compose', () => {
    expect(() => templateForEngine('docker compose up -d', 'podman', null)).toThrow(NoComposeTool);
    expect(templateForEngine('docker ps', 'podman', null)).toBe('podman ps');
  });

  it('only ever changes "docker" words, in one linear pass (fuzz)', () => {
    fuzz(
      fc.property(
        fc.array(fc.constantFrom('docker', ' ', '|', ';', "'", '"', '$(', ')', 'x', '-q', 'sudo', '\\', '\n', '=', 'a=b'), {
          maxLength: 60,
        }),
        (parts) => {
          const template = parts.join('');
          const out = templateForEngine(template, 'podman');
          expect(out.replace(/podman/g, 'docker')).toBe(template.replace(/podman/g, 'docker'));
        },
      ),
    );
    const long = 'docker ps | '.repeat(20_000);
    expect(cpuMs(() => templateForEngine(long, 'podman'))).toBeLessThan(200);
  });
});

describe('the terminal’s variables for the engine in use', () => {
  it('points docker at the host (with TLS), names a context, or sets CONTAINER_HOST for Podman', () => {
    const base = { id: 'DOCKER_HOST', source: 'DOCKER_HOST' as const, context: null };
    expect(cliEnvironment({ ...base, host: 'ssh://me@box', tls: null }, 'docker')).toEqual({
      DOCKER_HOST: 'ssh://me@box',
      DOCKER_CONTEXT: undefined,
      DOCKER_TLS_VERIFY: undefined,
      DOCKER_TLS: undefined,
      DOCKER_CERT_PATH: undefined,
    });
    expect(cliEnvironment({ ...base, host: 'tcp://box:2376', tls: { dir: '/certs', required: true } }, 'docker')).toMatchObject({
      DOCKER_HOST: 'tcp://box:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/certs',
    });
    expect(
      cliEnvironment({ ...base, id: 'context:prod', source: 'context', context: 'prod', host: 'ssh://x', tls: null }, 'docker'),
    ).toMatchObject({
      DOCKER_CONTEXT: 'prod',
      DOCKER_HOST: undefined,
    });
    expect(
      cliEnvironment(
        { ...base, id: 'podman:rootless', source: 'podman', host: 'unix:///run/user/1000/podman/podman.sock', tls: null },
        'podman',
      ),
    ).toEqual({
      CONTAINER_HOST: 'unix:///run/user/1000/podman/podman.sock',
      CONTAINER_CONNECTION: undefined,
    });
  });
});

describe('endpoint discovery', () => {
  it('lists the one in use first, each context once, and a Podman socket under XDG_RUNTIME_DIR', () => {
    const config = tempDir();
    const runtime = tempDir();
    const meta = (name: string, host: string) => {
      const dir = path.join(config, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }));
    };
    meta('remote', 'ssh://me@box');
    meta('broken', '');
    writeFileSync(path.join(config, 'config.json'), JSON.stringify({ currentContext: 'remote' }));
    mkdirSync(path.join(runtime, 'podman'));
    writeFileSync(path.join(runtime, 'podman', 'podman.sock'), '');
    const env = { DOCKER_CONFIG: config, XDG_RUNTIME_DIR: runtime };
    expect(resolveDockerEndpoint(env)).toMatchObject({ id: 'context:remote', host: 'ssh://me@box', source: 'config.json' });
    expect(listEndpoints(env).map((e) => [e.id, e.host])).toEqual([
      ['context:remote', 'ssh://me@box'],
      ['context:default', 'unix:///var/run/docker.sock'],
      ['podman:rootless', `unix://${runtime}/podman/podman.sock`],
    ]);
    // DOCKER_HOST wins as the docker CLI's choice, and the contexts are still there to switch to.
    expect(listEndpoints({ ...env, DOCKER_HOST: 'tcp://10.0.0.1:2375' }).map((e) => e.id)).toEqual([
      'DOCKER_HOST',
      'context:default',
      'context:remote',
      'podman:rootless',
    ]);
  });
});

describe('Doctor: reachable only when /_ping answers as an engine does', () => {
  it('an "OK" without the Api-Version header (a health check of something else) is not an engine', async () => {
    // A fake on loopback: /_ping says OK as a plain web server would, /version even looks right.
    const server = http.createServer((request, response) => {
      if (request.url === '/_ping') response.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK');
      else response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"Version":"1.0","ApiVersion":"1.41"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const env = { DOCKER_HOST: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, DOCKER_CONFIG: tempDir() };
      const doctor = await checks.find((c) => c.id === 'docker')!.run(env);
      expect(doctor.status).toBe('warn');
      expect(doctor.detail).toMatch(/answered \/_ping with HTTP 200 "OK" without an Api-Version header, not as a Docker engine does/);
      expect(doctor.detail).not.toMatch(/reachable at/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
