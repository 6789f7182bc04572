// A private Podman engine for tests: Debian's podman serving its Docker-compatible API with
// `podman system service --time=0` on a socket where Lanyard looks for a rootless one
// ($XDG_RUNTIME_DIR/podman/podman.sock, XDG_RUNTIME_DIR a temp folder), its storage, run root, events log and
// temp files all in that folder (vfs storage: no overlay mounts), and `busybox:latest` made by `podman import`
// of the same busybox rootfs the private dockerd gets. Nothing is pulled. Containers are created, not started:
// runc cannot set Podman's rlimits inside this machine's own container.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { busyboxRootfs, dockerPeers } from './dockerd.ts';
import { findPeer } from './peers.ts';

export interface TestPodman {
  /** unix://…/xdg/podman/podman.sock */
  host: string;
  /** The folder to give as XDG_RUNTIME_DIR so Lanyard finds the socket as the user's rootless Podman. */
  runtimeDir: string;
  /** Environment for the podman CLI talking to this engine (CONTAINER_HOST). */
  env: NodeJS.ProcessEnv;
  /** Run `podman --remote …` against this engine. */
  cli(args: string[]): string;
  stop(): Promise<void>;
}

export function podmanPeer(): string | null {
  const podman = findPeer('podman', 'apt-get install podman');
  if (podman && process.getuid?.() !== 0) {
    process.stderr.write('\n*** SKIPPING Podman tests: the private Podman engine runs as root ***\n\n');
    return null;
  }
  return podman;
}

function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath: socket, path: '/_ping', timeout: 500 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

export async function startTestPodman(): Promise<TestPodman> {
  const podman = podmanPeer();
  const busybox = dockerPeers()?.busybox;
  if (!podman || !busybox) throw new Error('podman or busybox is missing (see the skip note)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanyard-podman-'));
  const runtimeDir = path.join(dir, 'xdg');
  mkdirSync(path.join(runtimeDir, 'podman'), { recursive: true, mode: 0o700 });
  mkdirSync(path.join(dir, 'tmp'));
  const socket = path.join(runtimeDir, 'podman', 'podman.sock');
  const conf = path.join(dir, 'containers.conf');
  writeFileSync(
    conf,
    [
      '[engine]',
      'events_logger = "file"',
      `events_logfile_path = "${path.join(dir, 'events.log')}"`,
      'cgroup_manager = "cgroupfs"',
      '',
    ].join('\n'),
  );
  const global = [
    '--root',
    path.join(dir, 'root'),
    '--runroot',
    path.join(dir, 'run'),
    '--storage-driver',
    'vfs',
    '--tmpdir',
    path.join(dir, 'tmp'),
  ];
  const proxy = 'http://127.0.0.1:9';
  const baseEnv = { ...process.env, CONTAINERS_CONF: conf, HTTP_PROXY: proxy, HTTPS_PROXY: proxy, NO_PROXY: '' };
  const log: string[] = [];
  const child: ChildProcess = spawn(podman, [...global, 'system', 'service', '--time=0', `unix://${socket}`], {
    env: baseEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (c: Buffer) => log.push(c.toString()) > 200 && log.shift();
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const deadline = Date.now() + 30_000;
  while (!(await ping(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`podman system service did not start (exit ${child.exitCode}):\n${log.join('').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const env: NodeJS.ProcessEnv = { ...baseEnv, CONTAINER_HOST: `unix://${socket}` };
  const cli = (args: string[]) => {
    try {
      return execFileSync(podman, ['--remote', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    } catch (error) {
      const e = error as { stderr?: string; status?: number };
      throw new Error(`podman ${args.join(' ')} failed (${e.status}): ${e.stderr ?? String(error)}`);
    }
  };
  cli(['import', '--change', 'CMD ["/bin/sh"]', busyboxRootfs(busybox, dir), 'busybox:latest']);
  return {
    host: `unix://${socket}`,
    runtimeDir,
    env,
    cli,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
