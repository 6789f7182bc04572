// `lanyard cert trust --container` against a private dockerd, with images made here from busybox (no pull):
// a Debian one with Debian's REAL update-ca-certificates, openssl and run-parts (debian-ca-image.ts), judged inside
// the container by `openssl verify` of a Lanyard leaf; and, standing in for the families whose tools are not on
// this machine (no Alpine or RHEL packages here): an Alpine-like one without update-ca-certificates (the root is
// appended to the bundle), a Fedora-like one with a FAKE update-ca-trust, and plain busybox (unknown: said so). The
// fake does what the real tool does, for the part that matters here: rebuild the bundle from the system roots and
// the anchors; those are judged by reading the bundle back.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerfileLines, parseProbe } from '../../../main/certs/container-trust.ts';
import { CertsService } from '../../../main/certs/service.ts';
import { debianCaImage, importDebianCaImage } from '../../support/debian-ca-image.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { fuzz } from '../../support/fuzz.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';
import fc from 'fast-check';

const peers = dockerPeers();
const keepAlive = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'];

// One public root stands for the image's system roots: it must still be in the bundle afterwards.
const systemRoot = `${readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8').split('-----END CERTIFICATE-----')[0]!.trim()}\n-----END CERTIFICATE-----\n`;

const fakeUpdateCaTrust = `#!/bin/sh
# FAKE update-ca-trust (test only): rebuilds the extracted PEM bundle from the system roots and the anchors, as the real one does.
mkdir -p /etc/pki/ca-trust/extracted/pem
{ cat /usr/share/pki/ca-trust-source/system.pem; for f in /etc/pki/ca-trust/source/anchors/*; do [ -f "$f" ] && cat "$f"; done; } > /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem
exit 0
`;

const images: Record<string, { files: Record<string, string>; run: string[] }> = {
  'alpine-like': {
    files: {
      'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nPRETTY_NAME="Alpine Linux v3.19"\n',
      'etc/ssl/certs/ca-certificates.crt': systemRoot,
    },
    run: [],
  },
  'fedora-like': {
    files: {
      'etc/os-release': 'NAME="Fedora Linux"\nID=fedora\nPRETTY_NAME="Fedora Linux 39 (Container Image)"\n',
      'usr/bin/update-ca-trust': fakeUpdateCaTrust,
      'usr/share/pki/ca-trust-source/system.pem': systemRoot,
      'etc/pki/ca-trust/source/anchors/.keep': '',
    },
    run: ['update-ca-trust'],
  },
};

describe.skipIf(!peers || !existsSync(cliBundle))('lanyard cert trust --container (real dockerd, local images)', () => {
  let engine: TestEngine;
  const home = tempDir();
  const work = tempDir();
  let rootPem = '';
  const lanyard = (...args: string[]) =>
    spawnSync(nodeBin, [cliBundle, 'cert', 'trust', ...args], {
      env: { ...engine.env, LANYARD_HOME: home, CAROOT: path.join(home, 'ca'), NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const bundle = (container: string, file: string) => engine.cli(['exec', container, 'cat', file]);

  function build(tag: string, files: Record<string, string>, lines: string[]): void {
    const dir = path.join(work, tag);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), content, { mode: 0o755 });
    }
    writeFileSync(path.join(dir, 'rootCA.pem'), rootPem);
    writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${testImage}`, 'COPY rootfs/ /', ...lines, ''].join('\n'));
    engine.cli(['build', '--pull=false', '-q', '-t', tag, dir], { timeoutMs: 120_000 });
  }

  beforeAll(async () => {
    const certs = new CertsService({ dataDir: home, env: { ...process.env, CAROOT: path.join(home, 'ca') } });
    await certs.createCa({ keyType: 'ecdsa' });
    rootPem = readFileSync(path.join(home, 'ca', 'rootCA.pem'), 'utf8');
    certs.close();
    engine = await startTestEngine();
    for (const [tag, image] of Object.entries(images)) {
      build(
        tag,
        Object.fromEntries(Object.entries(image.files).map(([f, c]) => [`rootfs/${f}`, c])),
        image.run.map((r) => `RUN ${r}`),
      );
      engine.cli(['run', '--pull=never', '-d', '--name', tag, tag, ...keepAlive]);
    }
    engine.cli(['run', '--pull=never', '-d', '--name', 'plain', testImage, ...keepAlive]);
    importDebianCaImage(engine, peers!.busybox, path.join(work, 'debian-ca'));
    engine.cli(['run', '--pull=never', '-d', '--name', 'debian-real', debianCaImage, ...keepAlive]);
  }, 240_000);
  afterAll(async () => engine?.stop());

  // About ten CLI and docker exec calls, each a few seconds on a loaded machine.
  it('Debian with the real update-ca-certificates: openssl in the container refuses a Lanyard leaf before, verifies it after', {
    timeout: 120_000,
  }, () => {
    const leafDir = path.join(work, 'leaf');
    mkdirSync(leafDir, { recursive: true });
    const issued = spawnSync(nodeBin, [cliBundle, 'cert', 'app.test'], {
      cwd: leafDir,
      env: { ...process.env, LANYARD_HOME: home, CAROOT: path.join(home, 'ca'), NO_COLOR: '1' },
      encoding: 'utf8',
    });
    expect(issued.status, issued.stderr).toBe(0);
    engine.cli(['cp', path.join(leafDir, 'app.test.pem'), 'debian-real:/tmp/leaf.pem']);
    const verify = (...store: string[]) =>
      spawnSync(peers!.docker, ['exec', 'debian-real', 'openssl', 'verify', ...store, '/tmp/leaf.pem'], {
        env: engine.env,
        encoding: 'utf8',
      });
    const bundleFile = '/etc/ssl/certs/ca-certificates.crt';
    const systemRoots = bundle('debian-real', bundleFile).split('BEGIN CERTIFICATE').length - 1;
    expect(systemRoots).toBeGreaterThan(100); // Debian's Mozilla roots, built by the real script at image build

    const before = verify('-CAfile', bundleFile);
    expect(before.status).not.toBe(0);
    expect(before.stdout + before.stderr).toMatch(/unable to get local issuer certificate/);

    const shown = lanyard('--container', 'debian-real');
    expect(shown.stdout).toContain('(debian family)');
    expect(shown.stdout).toContain('debian-real:/usr/local/share/ca-certificates/lanyard-rootCA.crt');
    expect(shown.stdout).toContain('sh -c update-ca-certificates');
    expect(shown.stdout).toContain('Nothing was changed');
    expect(verify('-CAfile', bundleFile).status).not.toBe(0);

    const applied = lanyard('--container', 'debian-real', '--yes');
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('now holds the Lanyard CA');
    const after = verify('-CAfile', bundleFile);
    expect(after.stdout + after.stderr).toContain('/tmp/leaf.pem: OK');
    expect(after.status).toBe(0);
    // The real script also links the anchor into /etc/ssl/certs and rehashes: OpenSSL's default store trusts it too.
    expect(verify().stdout).toContain('/tmp/leaf.pem: OK');
    expect(bundle('debian-real', bundleFile).split('BEGIN CERTIFICATE').length - 1).toBe(systemRoots + 1);
    expect(lanyard('--container', 'debian-real').stdout).toContain('already holds the Lanyard CA');
  });

  it('Alpine without update-ca-certificates: the root is appended to the bundle, once', () => {
    const applied = lanyard('--container', 'alpine-like', '--yes');
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('(alpine family, no update tool)');
    expect(applied.stdout).toContain('>> /etc/ssl/certs/ca-certificates.crt');
    const after = bundle('alpine-like', '/etc/ssl/certs/ca-certificates.crt');
    expect(after.startsWith(systemRoot)).toBe(true);
    expect(after.split(rootPem.trim()).length - 1).toBe(1);
    expect(lanyard('--container', 'alpine-like', '--yes').stdout).toContain('already holds');
    expect(bundle('alpine-like', '/etc/ssl/certs/ca-certificates.crt')).toBe(after);
  });

  it('Fedora family: the anchor and update-ca-trust', () => {
    const applied = lanyard('--container', 'fedora-like', '--yes');
    expect(applied.status, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('fedora-like:/etc/pki/ca-trust/source/anchors/lanyard-rootCA.pem');
    const after = bundle('fedora-like', '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem');
    expect(after).toContain(rootPem.trim());
    expect(after).toContain(systemRoot.trim());
  });

  it('plain busybox: says it does not know how, and what to do instead', () => {
    const result = lanyard('--container', 'plain', '--yes');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('does not know how this container trusts certificates');
    expect(result.stdout).toContain('SSL_CERT_FILE');
  });

  it('a missing container or a name that would be an option is refused clearly', () => {
    expect(lanyard('--container', 'nope').stdout).toContain('is it running');
    const option = lanyard('--container=--privileged', '--yes');
    expect(option.status).toBe(1);
    expect(option.stdout).toContain('is not a container name');
  });

  it('the Dockerfile lines build images that trust the CA (RHEL; Debian and Alpine after their package line, which needs a mirror)', () => {
    const printed = lanyard('--dockerfile');
    expect(printed.status).toBe(0);
    for (const family of ['debian', 'alpine', 'rhel'] as const)
      for (const line of dockerfileLines(family)) expect(printed.stdout).toContain(line);
    build(
      'fedora-trusting',
      Object.fromEntries(Object.entries(images['fedora-like']!.files).map(([f, c]) => [`rootfs/${f}`, c])),
      dockerfileLines('rhel'),
    );
    expect(
      engine.cli(['run', '--pull=never', '--rm', 'fedora-trusting', 'cat', '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem']),
    ).toContain(rootPem.trim());
    // Debian's lines after the package install (which needs a mirror), on the image with the real script.
    const dir = path.join(work, 'debian-trusting');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'rootCA.pem'), rootPem);
    writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${debianCaImage}`, ...dockerfileLines('debian').slice(1), ''].join('\n'));
    engine.cli(['build', '--pull=false', '-q', '-t', 'debian-trusting', dir], { timeoutMs: 120_000 });
    expect(engine.cli(['run', '--pull=never', '--rm', 'debian-trusting', 'cat', '/etc/ssl/certs/ca-certificates.crt'])).toContain(
      rootPem.trim(),
    );
  }, 120_000);
});

describe('the container probe parser', () => {
  it('reads os-release families and falls back on the tools found', () => {
    const probe = (release: string, tools = '', bundles = '') => parseProbe(`${release}\n--lanyard--\n${tools}\n--lanyard--\n${bundles}\n`);
    expect(probe('ID=ubuntu\nID_LIKE=debian').family).toBe('debian');
    expect(probe('ID="rocky"\nID_LIKE="rhel centos fedora"', '/usr/bin/update-ca-trust')).toMatchObject({
      family: 'rhel',
      updateTool: true,
    });
    expect(probe('ID=alpine', '/usr/sbin/update-ca-certificates')).toMatchObject({ family: 'alpine', updateTool: true });
    expect(probe('', '', '/etc/ssl/certs/ca-certificates.crt').family).toBe('bundle-only');
    expect(probe('').family).toBe('unknown');
  });

  it('takes any bytes from the container in bounded, linear time without throwing', () => {
    fuzz(
      fc.property(fc.string({ maxLength: 4096 }), (text) => {
        const probe = parseProbe(text);
        expect(['debian', 'alpine', 'rhel', 'bundle-only', 'unknown']).toContain(probe.family);
      }),
    );
    const huge = `ID=${'x'.repeat(4_000_000)}\n--lanyard--\n`;
    expect(parseProbe(huge).family).toBe('unknown');
  });
});
