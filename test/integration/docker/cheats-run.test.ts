// Every built-in cheat, rendered by Lanyard, is run by the real docker CLI against a real engine.
// Long-running or interactive ones run as a safe variant (no -f, --no-stream, -i with scripted input),
// and every `docker run` gets --pull=never so nothing can be pulled.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinCheats } from '../../../main/docker/cheats.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { tempDir } from '../../support/temp-dir.ts';

const peers = dockerPeers();
const cheats = loadBuiltinCheats();
const work = tempDir();
const buildDir = path.join(work, 'build');
const copyIn = path.join(work, 'copy-in.txt');

/** The values each built-in cheat is tried with. A new built-in cheat needs a line here. */
const trial: Record<string, Record<string, string>> = {
  ps: {},
  'ps-all': {},
  'run-detached': { name: 'c-detached', image: testImage },
  'run-interactive': { image: testImage, shell: 'sh' },
  'run-ports': { name: 'c-ports', port: '8080:80', image: testImage },
  'run-volume': { name: 'c-volume', volume: 'trial-volume', path: '/data', image: testImage },
  'run-env': { name: 'c-env', variable: 'GREETING=hello world', image: testImage },
  'exec-shell': { container: 'web', shell: 'sh' },
  'exec-command': { container: 'web', command: 'echo $((6*7)) > /tmp/answer && cat /tmp/answer' },
  'logs-follow': { lines: '10', container: 'web' },
  start: { container: 'idle' },
  stop: { container: 'idle' },
  restart: { container: 'web' },
  rm: { container: 'victim' },
  'rm-force': { container: 'victim-running' },
  inspect: { container: 'web' },
  'cp-from': { container: 'web', source: '/etc/passwd', destination: work },
  'cp-to': { source: copyIn, container: 'web', destination: '/tmp/' },
  stats: {},
  top: { container: 'web' },
  port: { container: 'web' },
  'image-ls': {},
  build: { tag: 'built:1', folder: buildDir },
  tag: { image: testImage, tag: 'victim:1' },
  rmi: { image: 'victim:1' },
  'image-inspect': { image: testImage },
  'image-history': { image: testImage },
  'volume-ls': {},
  'volume-create': { name: 'made-by-cheat' },
  'volume-inspect': { volume: 'made-by-cheat' },
  'volume-rm': { volume: 'made-by-cheat' },
  'network-ls': {},
  'network-create': { name: 'net-by-cheat' },
  'network-inspect': { network: 'net-by-cheat' },
  'network-connect': { network: 'net-by-cheat', container: 'idle' },
  'network-rm': { network: 'victim-net' },
  'system-df': {},
  'system-prune': {},
  'container-prune': {},
  'image-prune': {},
  'volume-prune': {},
  'network-prune': {},
  info: {},
  'context-ls': {},
  'context-use': { context: 'default' },
  'compose-up': { folder: work },
  'compose-down': { folder: work },
  'compose-logs': { folder: work },
  'compose-ps': { folder: work },
};

/** How a rendered command is made safe to run unattended here. */
function safeVariant(id: string, command: string): { command: string; input: string } {
  let safe = command.replace(/^docker run /, 'docker run --pull=never ');
  let input = '';
  if (id === 'run-interactive' || id === 'exec-shell') {
    safe = safe.replace(' -it ', ' -i ');
    input = 'echo inside-$((1+1))\nexit\n';
  }
  if (id === 'logs-follow' || id === 'compose-logs') safe = safe.replace(' -f', '');
  if (id === 'stats') safe += ' --no-stream';
  // Long-running detached containers: give them a command that stops promptly.
  if (/^run-(detached|ports|volume|env)$/.test(id)) safe += ' sleep 300';
  return { command: safe, input };
}

describe.skipIf(!peers)('built-in cheats run with the real docker CLI', () => {
  let engine: TestEngine;
  let lanyard: InProcess;
  let compose = false;

  beforeAll(async () => {
    engine = await startTestEngine();
    lanyard = startInProcess({ env: { ...engine.env, LANYARD_HOME: path.join(work, 'home') } });
    const keepAlive = ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done'];
    engine.cli(['run', '--pull=never', '-d', '--name', 'web', testImage, ...keepAlive]);
    engine.cli(['run', '--pull=never', '-d', '--name', 'victim-running', testImage, ...keepAlive]);
    engine.cli(['create', '--pull=never', '--name', 'idle', testImage, ...keepAlive]);
    engine.cli(['create', '--pull=never', '--name', 'victim', testImage, 'true']);
    engine.cli(['network', 'create', 'victim-net']);
    mkdirSync(buildDir);
    writeFileSync(path.join(buildDir, 'Dockerfile'), `FROM ${testImage}\nRUN echo built > /built.txt\n`);
    writeFileSync(copyIn, 'copied in\n');
    writeFileSync(
      path.join(work, 'compose.yaml'),
      `services:\n  app:\n    image: ${testImage}\n    pull_policy: never\n    command: sleep 300\n    network_mode: none\n`,
    );
    compose = spawnSync(engine.docker, ['compose', 'version'], { env: engine.env }).status === 0;
    if (!compose)
      process.stderr.write(
        '\n*** docker compose (the CLI plugin) is not installed here: compose cheats are only checked to render ***\n\n',
      );
  }, 120_000);
  afterAll(async () => {
    lanyard?.host.close();
    await engine?.stop();
  });

  it('has a trial for every built-in cheat, and every placeholder in it', () => {
    expect(Object.keys(trial).sort()).toEqual(cheats.map((c) => c.id).sort());
    for (const cheat of cheats)
      for (const p of cheat.placeholders)
        if (p.default === undefined) expect(trial[cheat.id], `${cheat.id}.${p.name}`).toHaveProperty(p.name);
  });

  // In file order: the files list creating cheats before the ones that use or delete what they made.
  for (const cheat of cheats) {
    it(`${cheat.id}: ${cheat.template}`, async () => {
      const rendered = await lanyard.api.docker.render({ id: cheat.id, values: trial[cheat.id] ?? {}, dialect: 'sh' });
      expect(rendered.missing).toEqual([]);
      if (cheat.id.startsWith('compose-') && !compose) return;
      const { command, input } = safeVariant(cheat.id, rendered.command);
      const result = spawnSync('/bin/sh', ['-c', command], { env: engine.env, cwd: work, input, encoding: 'utf8', timeout: 60_000 });
      expect(result.status, `${command}\n${result.stderr}`).toBe(0);
      if (cheat.id === 'run-interactive' || cheat.id === 'exec-shell') expect(result.stdout).toContain('inside-2');
      if (cheat.id === 'exec-command') expect(result.stdout.trim()).toBe('42');
      if (cheat.id === 'run-env')
        expect(engine.cli(['inspect', '--format', '{{json .Config.Env}}', 'c-env'])).toContain('GREETING=hello world');
      if (cheat.id === 'cp-from') expect(existsSync(path.join(work, 'passwd'))).toBe(true);
      if (cheat.id === 'cp-to') expect(engine.cli(['exec', 'web', 'cat', '/tmp/copy-in.txt'])).toBe('copied in\n');
      if (cheat.id === 'build') expect(engine.cli(['run', '--pull=never', '--rm', 'built:1', 'cat', '/built.txt'])).toBe('built\n');
    }, 90_000);
  }

  it('cannot be made to run a second command: the `x; touch pwned` attack and friends', async () => {
    const attacks = [
      'x; touch pwned',
      '$(touch pwned)',
      '`touch pwned`',
      "x' ; touch pwned; echo '",
      'x && touch pwned',
      'x | touch pwned',
      'x\ttouch',
      '*',
    ];
    for (const value of attacks) {
      const { command } = await lanyard.api.docker.render({
        id: 'logs-follow',
        values: { container: value, lines: '1;touch pwned' },
        dialect: 'sh',
      });
      const result = spawnSync('/bin/sh', ['-c', command.replace(' -f', '')], { env: engine.env, cwd: work, encoding: 'utf8' });
      expect(result.status).not.toBe(0);
      expect(existsSync(path.join(work, 'pwned'))).toBe(false);
      // The engine got the value as one literal argument (the CLI validates --tail before the name).
      expect(result.stderr).toMatch(/invalid|No such container|tail/i);
    }
    // The same values reach sh as exactly one argument each.
    for (const value of attacks) {
      const { command } = await lanyard.api.docker.render({ id: 'inspect', values: { container: value }, dialect: 'sh' });
      const argv = execFileSync('/bin/sh', ['-c', `set -- ${command.slice('docker inspect '.length)}; printf '%s\\0' "$@"`], {
        cwd: work,
        encoding: 'utf8',
      });
      expect(argv).toBe(`${value}\0`);
    }
    await expect(lanyard.api.docker.render({ id: 'inspect', values: { container: '--format={{.}}' } })).rejects.toMatchObject({
      code: 'invalid-argument',
      field: 'params.values.container',
    });
  });
});
