// A private Podman engine for tests: Debian's podman serving its Docker-compatible API with
// `podman system service --time=0` on a socket where Lanyard looks for a rootless one
// ($XDG_RUNTIME_DIR/podman/podman.sock, XDG_RUNTIME_DIR a temp folder), its storage, run root, events log and
// temp files all in that folder (vfs storage: no overlay mounts), and `busybox:latest` made by `podman import`
// of the same busybox rootfs the private dockerd gets. Nothing is pulled. Containers really start, with crun as
// the runtime (Debian's `crun`): runc and crun both refuse Podman's default rlimits inside this machine's own
// container (RLIMIT_NOFILE 1048576 and RLIMIT_NPROC above what the container may raise), so containers.conf sets
// lower ones; and crun refuses a cgroup v1 host whose cgroup2 `unified` mount has controllers ("cgroups in
// hybrid mode not supported"), so there the service runs in a mount namespace of its own without that mount.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxRootfs, dockerPeers, pingEngine } from './dockerd.ts';
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
  if (podman && !findPeer('crun', 'apt-get install crun')) return null;
  if (podman && process.getuid?.() !== 0) {
    process.stderr.write('\n*** SKIPPING Podman tests: the private Podman engine runs as root ***\n\n');
    return null;
  }
  return podman;
}

function hardOpenFiles(): number {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const hard = Number(line?.trim().split(/\s+/)[4]);
  return Number.isInteger(hard) && hard > 0 ? Math.min(hard, 1_048_576) : 1024;
}

/** cgroup v1 with a cgroup2 `unified` mount that has controllers: crun refuses to run containers on it. */
function hybridWithControllers(): boolean {
  const controllers = '/sys/fs/cgroup/unified/cgroup.controllers';
  return existsSync(controllers) && readFileSync(controllers, 'utf8').trim() !== '';
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
      '[containers]',
      `default_ulimits = ["nofile=${hardOpenFiles()}:${hardOpenFiles()}", "nproc=4096:4096"]`,
      '[engine]',
      'runtime = "crun"',
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
  const service = [podman, ...global, 'system', 'service', '--time=0', `unix://${socket}`];
  // The service (and the crun it starts) in a private mount namespace without the unified mount; the host's stays.
  const [program, ...args] = hybridWithControllers()
    ? ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'umount /sys/fs/cgroup/unified && exec "$@"', 'sh', ...service]
    : service;
  const child: ChildProcess = spawn(program!, args, {
    env: baseEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (c: Buffer) => log.push(c.toString()) > 200 && log.shift();
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const deadline = Date.now() + 30_000;
  while (!(await pingEngine(socket))) {
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
      // Running containers have a conmon each, outside the service: removed first, or they outlive it.
      try {
        cli(['rm', '--all', '--force', '--time', '0']);
      } catch {
        // the service is gone already: nothing it could remove
      }
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
