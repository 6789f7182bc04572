// Issue 16's pure parts: the debug shell's docker commands, the toolbox pick, the Compose labels, the
// project actions' argv, and the Compose profiles reader (fuzzed: sorted strings or an Error, in linear time).
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeArgv } from '../../../main/docker/compose/project.ts';
import { composeLabels, dependsOnServices, serviceFromName } from '../../../main/docker/compose/labels.ts';
import { composeFileCap, composeProfiles, nestingCaps } from '../../../main/docker/compose/profiles.ts';
import { debugSteps, ipcJoin, joinSteps, type DebugTarget } from '../../../main/docker/debug/plan.ts';
import { pickToolbox } from '../../../main/docker/debug/toolbox.ts';
import { cpuMs, fuzz, mutated } from '../../support/fuzz.ts';

const id = 'a'.repeat(64);
const running: DebugTarget = { id, name: 'web', running: true, ipcMode: 'shareable' };

describe('debug shell commands', () => {
  it('a running target: one helper, removed on exit, never pulled, in its PID, network and IPC namespaces', () => {
    const { steps, chained } = debugSteps(running, 'busybox:latest', 'host:42', 'n0nce1');
    expect(chained).toBe(1);
    expect(steps[0]).toEqual([
      'docker',
      'run',
      '--rm',
      '-it',
      '--pull',
      'never',
      '--name',
      `lanyard-debug-${id.slice(0, 12)}-n0nce1`,
      '--label',
      `dev.lanyard.debug=${id}`,
      '--label',
      'dev.lanyard.debug.owner=host:42',
      '--pid',
      `container:${id}`,
      '--network',
      `container:${id}`,
      '--ipc',
      `container:${id}`,
      '--cap-add',
      'SYS_PTRACE',
      '-e',
      'PS1=[debug web] \\w # ',
      'busybox:latest',
      'sh',
      '-c',
      'ln -s /proc/1/root /target 2>/dev/null; exec sh',
    ]);
  });

  it('joins the IPC namespace only where the engine allows it', () => {
    expect(ipcJoin({ ...running, ipcMode: 'private' })).toBeNull();
    expect(ipcJoin({ ...running, ipcMode: '' })).toBeNull();
    expect(ipcJoin({ ...running, ipcMode: 'none' })).toBeNull();
    expect(ipcJoin({ ...running, ipcMode: 'host' })).toBe('host');
    expect(ipcJoin({ ...running, ipcMode: 'container:other' })).toBe('container:other');
    expect(debugSteps({ ...running, ipcMode: 'private' }, 'busybox', 'h:1', 'n0nce1').steps[0]).not.toContain('--ipc');
  });

  it("a target in a Podman pod: the helper joins the pod (Podman refuses it outside), and takes the pod's shared namespaces from it", () => {
    const options = (pod: DebugTarget['pod']) =>
      debugSteps({ ...running, pod }, 'busybox', 'h:1', 'n0nce1').steps[0]!.filter((word) => word.startsWith('--') && word !== '--label');
    // --infra=false: nothing shared, every namespace joined from the target.
    expect(options({ name: 'ledger', shared: [] })).toEqual([
      '--rm',
      '--pull',
      '--name',
      '--pod',
      '--pid',
      '--network',
      '--ipc',
      '--cap-add',
    ]);
    // An infra pod shares net, ipc and uts: asking for them again is refused ("network cannot be configured …").
    expect(options({ name: 'ledger', shared: ['ipc', 'net', 'uts'] })).toEqual(['--rm', '--pull', '--name', '--pod', '--pid', '--cap-add']);
    const argv = debugSteps({ ...running, pod: { name: 'ledger', shared: ['net'] } }, 'busybox', 'h:1', 'n0nce1').steps[0]!;
    expect(argv.slice(argv.indexOf('--pod'), argv.indexOf('--pod') + 4)).toEqual(['--pod', 'ledger', '--pid', `container:${id}`]);
    expect(options(null)).not.toContain('--pod');
  });

  it('a stopped target: tools volume, snapshot, shell, then both removed whatever the shell did', () => {
    const plan = debugSteps({ ...running, running: false }, 'busybox:latest', 'h:1', 'n0nce1');
    expect(plan.chained).toBe(4);
    const line = joinSteps(plan, 'sh');
    const parts = line.split(/ && (?=docker )|; (?=docker )/);
    expect(parts.map((p) => p.split(' ').slice(0, 2).join(' '))).toEqual([
      'docker volume',
      'docker run',
      'docker commit',
      'docker run',
      'docker rmi',
      'docker volume',
    ]);
    expect(line).toMatch(
      / && docker run --rm -it .*; docker rmi lanyard-debug-snapshot:aaaaaaaaaaaa-n0nce1; docker volume rm lanyard-debug-tools-aaaaaaaaaaaa-n0nce1$/,
    );
    // Windows PowerShell 5.1 has no &&.
    expect(joinSteps(plan, 'powershell')).not.toMatch(/ && docker /);
  });

  it('every word stays one word for the shell (run by sh itself)', () => {
    const plan = debugSteps({ ...running, name: "it's $HOME `id`" }, 'busybox:latest', 'h:1', 'n0nce1');
    const argv = plan.steps[0]!;
    const echoed = execFileSync('sh', ['-c', joinSteps(plan, 'sh').replace(/^docker /, "printf '%s\\n' ")], { encoding: 'utf8' });
    expect(echoed.split('\n').slice(0, -1)).toEqual(argv.slice(1));
  });

  it('picks busybox:latest, then any busybox, then alpine; nothing else', () => {
    expect(pickToolbox(['alpine:3.20', 'busybox:1.36', 'busybox:latest', 'node:22'])).toBe('busybox:latest');
    expect(pickToolbox(['alpine:3.20', 'registry.example/tools/busybox:1.36'])).toBe('registry.example/tools/busybox:1.36');
    expect(pickToolbox(['alpine:3.20', 'localhost:5000/alpine'])).toBe('alpine:3.20');
    expect(pickToolbox(['node:22', 'mybusybox:1', 'busybox-like:2'])).toBeNull();
    expect(pickToolbox(['alpine:3.20'], ['busybox'])).toBeNull();
  });
});

describe('Compose labels and actions', () => {
  it('reads v2 labels (absolute files, several) and v1 ones (oneoff "True")', () => {
    expect(
      composeLabels({
        'com.docker.compose.project': 'shop',
        'com.docker.compose.service': 'web',
        'com.docker.compose.project.working_dir': '/srv/shop',
        'com.docker.compose.project.config_files': '/srv/shop/compose.yaml,/srv/shop/compose.override.yaml',
        'com.docker.compose.oneoff': 'False',
      }),
    ).toEqual({
      project: 'shop',
      service: 'web',
      workingDir: '/srv/shop',
      configFiles: ['/srv/shop/compose.yaml', '/srv/shop/compose.override.yaml'],
      oneoff: false,
      dependsOn: [],
      version: null,
    });
    expect(composeLabels({ 'com.docker.compose.project': 'shop', 'com.docker.compose.oneoff': 'True' })).toMatchObject({
      service: '',
      workingDir: null,
      configFiles: [],
      oneoff: true,
    });
    expect(composeLabels({ other: 'x' })).toBeNull();
    expect(composeLabels(null)).toBeNull();
  });

  it('v2’s depends_on in each of its forms: the services, once each, in order', () => {
    expect(dependsOnServices('db:service_started:false,cache:service_healthy:true')).toEqual(['db', 'cache']);
    expect(dependsOnServices('db:service_started,db:service_healthy')).toEqual(['db']);
    expect(dependsOnServices('db')).toEqual(['db']);
    expect(dependsOnServices('')).toEqual([]);
    expect(dependsOnServices(undefined)).toEqual([]);
    expect(dependsOnServices(',:x,, a :b')).toEqual(['a']);
  });

  it('a service label missing: the service read from v2’s and v1’s container names', () => {
    expect(serviceFromName('shop', 'shop-web-1', false)).toBe('web');
    expect(serviceFromName('shop', 'shop-my-api-12', false)).toBe('my-api');
    expect(serviceFromName('shop', 'shop_web_1', false)).toBe('web');
    expect(serviceFromName('shop', 'shop-web-run-0a1b2c3d4e5f', true)).toBe('web');
    expect(serviceFromName('shop', 'shop_web_run_1', true)).toBe('web');
    expect(serviceFromName('shop', 'other-web-1', false)).toBe('');
    expect(serviceFromName('shop', 'shop-web', false)).toBe('');
    expect(composeLabels({ 'com.docker.compose.project': 'shop' }, 'shop-web-1')?.service).toBe('web');
  });

  it('labels from any engine: a well-formed result, in linear time (fuzz)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '-', '_', ':', ',', '1', 'run', ' ', 'shop'), maxLength: 80 });
    fuzz(
      fc.property(text, text, fc.boolean(), (label, name, oneoff) => {
        const services = dependsOnServices(label);
        expect(new Set(services).size).toBe(services.length);
        for (const s of services) expect(s.includes(':') || s.includes(',') || s === '').toBe(false);
        const service = serviceFromName('shop', name, oneoff);
        expect(service === '' || name.includes(service)).toBe(true);
      }),
    );
    const long = 'db:service_started:false,'.repeat(40_000);
    expect(cpuMs(() => dependsOnServices(long))).toBeLessThan(200);
    expect(cpuMs(() => serviceFromName('shop', `shop-${'-'.repeat(1_000_000)}1`, true))).toBeLessThan(200);
  });

  it('fills the actions from the project: name, files and folder, or the name alone', () => {
    const project = { name: 'shop', workingDir: '/srv/shop', files: ['/srv/shop/a.yml', '/srv/shop/b.yml'] };
    expect(composeArgv(['docker', 'compose'], project, 'logs')).toEqual([
      'docker',
      'compose',
      '-p',
      'shop',
      '-f',
      '/srv/shop/a.yml',
      '-f',
      '/srv/shop/b.yml',
      '--project-directory',
      '/srv/shop',
      'logs',
      '-f',
    ]);
    expect(composeArgv(['docker-compose'], { name: 'shop', workingDir: null, files: [] }, 'up')).toEqual([
      'docker-compose',
      '-p',
      'shop',
      'up',
      '-d',
    ]);
  });
});

describe('Compose profiles', () => {
  const valid = `services:
  web:
    image: nginx
  debug:
    image: busybox
    profiles: [debug, tools]
  admin:
    image: adminer
    profiles:
      - tools
      - admin
x-anchors: &a
  profiles: [ignored]
`;

  it('lists every profile a service names, once, sorted', () => {
    expect(composeProfiles(valid)).toEqual(['admin', 'debug', 'tools']);
    expect(composeProfiles('services: {}')).toEqual([]);
    expect(composeProfiles('')).toEqual([]);
    expect(composeProfiles('services:\n  a:\n    profiles: [1, "", null, x]\n')).toEqual(['x']);
  });

  it('refuses alias bombs and deep nesting with an Error, quickly', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
      'services: {}',
    ].join('\n');
    expect(() => composeProfiles(bomb)).toThrow(/alias/i);
    for (const deep of ['['.repeat(100_000), '- '.repeat(50_000), `${' '.repeat(300)}a: 1`])
      expect(cpuMs(() => expect(() => composeProfiles(deep)).toThrow(/nested deeper/), 1)).toBeLessThan(200);
    expect(nestingCaps.flow).toBeLessThan(100);
  });

  it('fuzz: sorted strings or an Error, never a hang', () => {
    const check = (text: string) => {
      try {
        const profiles = composeProfiles(text);
        expect(profiles).toEqual([...new Set(profiles)].sort());
        for (const p of profiles) expect(typeof p).toBe('string');
      } catch (error) {
        expect(error).toBeInstanceOf(Error);
        expect(error).not.toBeInstanceOf(TypeError);
      }
    };
    fuzz(fc.property(mutated(Buffer.from(valid)), (b) => check(b.toString('utf8'))));
    fuzz(
      fc.property(
        fc.string({
          maxLength: 2000,
          unit: fc.constantFrom('[', '{', ']', '}', '-', ' ', '\n', ':', 'a', '&a', '*a', '?', '"', "'", '|', '>'),
        }),
        check,
      ),
    );
  });

  it('stays linear up to the file cap', () => {
    const line = 'x'.repeat(40);
    const body = (n: number) =>
      `services:\n${Array.from({ length: n }, (_, i) => `  s${i}:\n    image: ${line}\n    profiles: [p${i % 7}]\n`).join('')}`;
    const small = body(200);
    const large = body(Math.floor((composeFileCap / (small.length / 200)) * 0.95));
    expect(large.length).toBeLessThanOrEqual(composeFileCap);
    const ratio = cpuMs(() => composeProfiles(large), 2) / cpuMs(() => composeProfiles(small), 2);
    expect(ratio).toBeLessThan((large.length / small.length) * 3);
  });
});
