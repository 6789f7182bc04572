// Issue 16, point 1 against a real engine: a debug shell into a container whose image holds one static
// binary and no shell (made by `docker import`), running and stopped, through the service and a real PTY;
// the helper, the snapshot and the tools volume gone after exit; leftovers of a dead Lanyard swept.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugOwnerLabel, debugLabel } from '../../../main/docker/debug/plan.ts';
import { sweepDebugLeftovers } from '../../../main/docker/debug/sweep.ts';
import { connectEngine } from '../../../main/docker/engine.ts';
import { startInProcess, type InProcess } from '../../../main/host/in-process.ts';
import { cliBundle, nodeBin } from '../../support/paths.ts';
import { dockerPeers, startTestEngine, testImage, type TestEngine } from '../../support/dockerd.ts';
import { importShellless, shellless } from '../../support/shellless-image.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { attachTerminal, waitForText } from '../../support/terminal-attach.ts';

const peers = dockerPeers();

describe.skipIf(!peers)('debug shell into a shell-less container (real dockerd, real PTY)', () => {
  const work = tempDir();
  let engine: TestEngine;
  let lanyard: InProcess;
  const leftovers = () =>
    [
      engine.cli(['ps', '-aq', '--filter', `label=${debugLabel}`]),
      engine.cli(['images', '-q', '--filter', `label=${debugLabel}`]),
      engine.cli(['volume', 'ls', '-q', '--filter', `label=${debugLabel}`]),
    ].join('');

  beforeAll(async () => {
    engine = await startTestEngine();
    importShellless(engine, peers!.busybox, work);
    engine.cli(['run', '--pull=never', '-d', '--name', 'distroless', shellless]);
    engine.cli(['run', '--pull=never', '-d', '--name', 'shareable', '--ipc', 'shareable', shellless]);
    engine.cli(['create', '--pull=never', '--name', 'stopped', shellless]);
    lanyard = startInProcess({ env: { ...engine.env, LANYARD_HOME: path.join(work, 'home'), SHELL: '/bin/sh', HOME: work } });
  }, 120_000);
  afterAll(async () => {
    lanyard?.host.close();
    await engine?.stop();
  });

  it('the image really has no shell', () => {
    expect(() => engine.cli(['exec', 'distroless', 'sh', '-c', 'true'])).toThrow(/\(12[67]\)/);
  });

  it('shows the exact docker commands: the toolbox already here, the three namespaces joined, never a pull', async () => {
    const plan = await lanyard.api.docker.debugPlan({ container: 'distroless', dialect: 'sh' });
    expect(plan.toolbox).toBe(testImage);
    expect(plan.snapshot).toBe(false);
    expect(plan.commands).toHaveLength(1);
    const id = engine.cli(['inspect', '-f', '{{.Id}}', 'distroless']).trim();
    for (const part of ['docker run --rm -it --pull never', `--pid container:${id}`, `--network container:${id}`])
      expect(plan.command).toContain(part);
    // This engine's default IPC mode is private, which it refuses to share: said, not attempted.
    expect(plan.command).not.toContain('--ipc');
    expect(plan.notes).toEqual([expect.stringContaining('IPC namespace is not joined')]);
    const shareable = await lanyard.api.docker.debugPlan({ container: 'shareable', dialect: 'sh' });
    expect(shareable.command).toContain(`--ipc container:${engine.cli(['inspect', '-f', '{{.Id}}', 'shareable']).trim()}`);
    expect(shareable.notes).toEqual([]);
    expect(plan.command).toContain("'ln -s /proc/1/root /target 2>/dev/null; exec sh'");
  });

  it('opens a shell in all three namespaces: /target holds the target files, ps shows its process; the helper is gone after exit', async () => {
    const { terminal } = await lanyard.api.docker.debugShell({ container: 'shareable', cols: 120, rows: 40 });
    const tab = attachTerminal(lanyard, terminal.id);
    try {
      await waitForText(tab.term, /\[debug shareable\] \/ # $/m);
      await lanyard.api.terminal.input({ id: terminal.id, data: 'ls -1 /target/\r' });
      await waitForText(tab.term, /^sleep\s*$/m);
      await lanyard.api.terminal.input({ id: terminal.id, data: 'ps -o pid,args\r' });
      await waitForText(tab.term, /^\s*1 \/sleep 3600\s*$/m);
      // The same namespaces as the target's PID 1, inode for inode.
      await lanyard.api.terminal.input({
        id: terminal.id,
        data: 'for n in net ipc pid; do [ $(readlink /proc/1/ns/$n) = $(readlink /proc/$$/ns/$n) ] && echo same-$n; done\r',
      });
      await waitForText(tab.term, /^same-net\s*\nsame-ipc\s*\nsame-pid\s*$/m);
      await lanyard.api.terminal.input({ id: terminal.id, data: 'exit\r' });
      expect((await tab.exit).code).toBe(0);
    } finally {
      tab.stop();
    }
    expect(leftovers()).toBe('');
    // The target was only looked at.
    expect(engine.cli(['inspect', '-f', '{{.State.Running}}', 'shareable']).trim()).toBe('true');
  }, 60_000);

  it('a stopped container: a snapshot with busybox from a volume, all three removed after exit', async () => {
    const plan = await lanyard.api.docker.debugPlan({ container: 'stopped', dialect: 'sh' });
    expect(plan.snapshot).toBe(true);
    expect(plan.commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
      'docker volume create',
      'docker run --rm',
      'docker commit --change',
      'docker run --rm',
      expect.stringMatching(/^docker rmi lanyard-debug-snapshot:[0-9a-f]{12}-[0-9a-f]{6}$/),
      'docker volume rm',
    ]);
    const { terminal } = await lanyard.api.docker.debugShell({ container: 'stopped', cols: 120, rows: 40 });
    const tab = attachTerminal(lanyard, terminal.id);
    try {
      await waitForText(tab.term, /\[debug stopped\] \/ # $/m, 40_000);
      await lanyard.api.terminal.input({ id: terminal.id, data: 'ls /target/ | grep -c sleep\r' });
      await waitForText(tab.term, /^1\s*$/m);
      await lanyard.api.terminal.input({ id: terminal.id, data: 'exit\r' });
      expect((await tab.exit).code).toBe(0);
    } finally {
      tab.stop();
    }
    expect(leftovers()).toBe('');
    expect(engine.cli(['inspect', '-f', '{{.State.Status}}', 'stopped']).trim()).toBe('created');
  }, 90_000);

  it("a stopped container with a toolbox whose busybox is dynamically linked (alpine's is): said so, nothing left", async () => {
    // The toolbox: a static busybox's applets for the copy step, and as /bin/busybox a dynamically linked program.
    const root = path.join(work, 'dynamic-toolbox');
    mkdirSync(path.join(root, 'bin'), { recursive: true });
    copyFileSync(peers!.busybox, path.join(root, 'bin', 'bb'));
    for (const applet of ['sh', 'od', 'tr', 'cp', 'echo']) symlinkSync('bb', path.join(root, 'bin', applet));
    copyFileSync('/usr/bin/true', path.join(root, 'bin', 'busybox'));
    const tar = path.join(work, 'dynamic-toolbox.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, '.']);
    engine.cli(['import', tar, 'dynamic-toolbox:1']);
    const { terminal } = await lanyard.api.docker.debugShell({ container: 'stopped', image: 'dynamic-toolbox:1', cols: 160, rows: 40 });
    const tab = attachTerminal(lanyard, terminal.id);
    try {
      await waitForText(tab.term, /busybox is dynamically linked and cannot run in the snapshot: use the busybox image/, 40_000);
      await tab.exit;
    } finally {
      tab.stop();
    }
    expect(leftovers()).toBe('');
  }, 90_000);

  it('lanyard docker debug: --dry-run prints the commands; a missing toolbox is an error saying how to get one', () => {
    const cli = (...args: string[]) =>
      spawnSync(nodeBin, [cliBundle, 'docker', 'debug', ...args], {
        env: { ...engine.env, LANYARD_HOME: path.join(work, 'home'), NO_COLOR: '1' },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const dry = cli('stopped', '--dry-run');
    expect(dry.status).toBe(0);
    expect(
      dry.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ').slice(0, 3).join(' ')),
    ).toEqual([
      'docker volume create',
      'docker run --rm',
      'docker commit --change',
      'docker run --rm',
      `docker rmi lanyard-debug-snapshot:${dry.stdout.split('lanyard-debug-snapshot:')[1]!.split(/\s/)[0]}`,
      'docker volume rm',
    ]);
    const missing = cli('distroless', '--image', 'nope:1');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('docker pull nope:1');
    expect(cli().status).toBe(2);
  });

  it('a target that is no container name: said so (the engine had answered another route for it), nothing run', async () => {
    for (const container of ['x;rm -rf /', 'a/../../images', 'web app']) {
      await expect(lanyard.api.docker.debugPlan({ container, dialect: 'sh' })).rejects.toMatchObject({
        code: 'invalid-argument',
        message: expect.stringContaining('is not a container name or id'),
      });
    }
    await expect(lanyard.api.docker.debugPlan({ container: 'no-such-box', dialect: 'sh' })).rejects.toMatchObject({
      message: expect.stringContaining('No such container: no-such-box'),
    });
  });

  it('refuses a toolbox that is not here and says how to get one, without pulling', async () => {
    await expect(lanyard.api.docker.debugPlan({ container: 'distroless', image: 'alpine:3.20' })).rejects.toMatchObject({
      code: 'not-found',
      hint: expect.stringContaining('docker pull alpine:3.20'),
    });
    expect(engine.cli(['images', '-q', 'alpine'])).toBe('');
  });

  it('before its first debug shell, a Lanyard sweeps the helpers of one that died, and leaves those of a live one', async () => {
    const dead = execFileSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).trim();
    const run = (name: string, owner: string) =>
      engine.cli([
        'run',
        '--pull=never',
        '-d',
        '--name',
        name,
        '--label',
        `${debugLabel}=x`,
        '--label',
        `${debugOwnerLabel}=${owner}`,
        testImage,
        'sleep',
        '600',
      ]);
    run('helper-of-dead', `${os.hostname()}:${dead}`);
    run('helper-of-live', `${os.hostname()}:${process.pid}`);
    run('helper-of-other-host', `elsewhere:${dead}`);
    engine.cli(['volume', 'create', '--label', `${debugOwnerLabel}=${os.hostname()}:${dead}`, 'tools-of-dead']);
    const restarted = startInProcess({ env: { ...engine.env, LANYARD_HOME: path.join(work, 'home'), SHELL: '/bin/sh', HOME: work } });
    try {
      await restarted.api.docker.debugPlan({ container: 'shareable' });
    } finally {
      restarted.host.close();
    }
    const names = engine.cli(['ps', '-a', '--format', '{{.Names}}', '--filter', `label=${debugLabel}`]);
    expect(names.split('\n').filter(Boolean).sort()).toEqual(['helper-of-live', 'helper-of-other-host']);
    expect(engine.cli(['volume', 'ls', '-q', '--filter', `label=${debugOwnerLabel}`])).toBe('');
    // Swept once per engine and process: a second sweep finds nothing of the dead left.
    expect(
      await sweepDebugLeftovers(connectEngine({ id: 'DOCKER_HOST', host: engine.host, source: 'DOCKER_HOST', context: null, tls: null })),
    ).toBe(0);
    engine.cli(['rm', '-f', 'helper-of-live', 'helper-of-other-host']);
  }, 60_000);
});
