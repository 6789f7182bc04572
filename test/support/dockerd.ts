// A real, private Docker engine for tests: Debian's dockerd as root on a socket in a temp folder, no bridge,
// no iptables, proxies pointed at a dead port so no pull can leave the machine, and one image,
// `busybox:latest`, made by `docker import` from busybox-static. One engine per test file.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findPeer } from './peers.ts';
import { parentOf } from './proc-stat.ts';

export const testImage = 'busybox:latest';

export interface TestEngine {
  /** unix:///…/docker.sock */
  host: string;
  /** With `tls: true`: the engine also listens on tcp://127.0.0.1:port with --tlsverify (client certificate required). */
  tls: {
    host: string;
    port: number /** A DOCKER_CERT_PATH folder: ca.pem, cert.pem, key.pem of a client the engine trusts. */;
    certDir: string;
    caDir: string;
  } | null;
  /** The docker CLI's binary. */
  docker: string;
  /** Environment that points the docker CLI (and Lanyard) at this engine only. */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Run the docker CLI against this engine; throws with its stderr on a non-zero exit. */
  cli(args: string[], options?: { input?: string; timeoutMs?: number }): string;
  stop(): Promise<void>;
}

/**
 * Start a long-running container of the test image: `script` runs under `sh -c` and exits cleanly on SIGTERM, so
 * `docker stop` is quick. Returns the container's id.
 */
export function runDetached(engine: TestEngine, name: string, script: string): string {
  return engine.cli(['run', '--pull=never', '-d', '--name', name, testImage, 'sh', '-c', `trap "exit 0" TERM; ${script}`]).trim();
}

/** A self-signed P-256 certificate and its key, as openssl writes them (for TLS tests that need one of their own). */
export function selfSignedCert(openssl: string, files: { key: string; cert: string }, subject: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  execFileSync(openssl, ['req', '-x509', ...ec, '-keyout', files.key, '-out', files.cert, '-days', '1', '-subj', subject], {
    stdio: 'ignore',
  });
}

/** The peers this needs, or null (with a loud skip note) when one is missing here. */
export function dockerPeers(): { dockerd: string; docker: string; busybox: string } | null {
  const dockerd = findPeer('dockerd', 'apt-get install docker.io');
  const docker = findPeer('docker', 'apt-get install docker.io');
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => {
    try {
      return readFileSync(p).length > 0;
    } catch {
      return false;
    }
  });
  if (!busybox) {
    if (process.env.CI) throw new Error('Required test peer missing under CI: busybox (apt-get install busybox-static).');
    process.stderr.write('\n*** SKIPPING tests that need busybox: apt-get install busybox-static ***\n\n');
  }
  if (!dockerd || !docker || !busybox) return null;
  if (process.getuid?.() !== 0) {
    if (process.env.CI) throw new Error('The Docker tests run dockerd and need root under CI.');
    process.stderr.write('\n*** SKIPPING Docker engine tests: dockerd needs root ***\n\n');
    return null;
  }
  return { dockerd, docker, busybox };
}

/** Whether an engine answers /_ping on this unix socket (Docker and Podman alike). */
export function pingEngine(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath: socket, path: '/_ping', timeout: 500 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

/** A rootfs tar holding busybox and a symlink per applet (/bin/sh, /bin/ls, …). */
export function busyboxRootfs(busybox: string, dir: string): string {
  const root = path.join(dir, 'rootfs');
  for (const sub of ['bin', 'etc', 'tmp', 'root', 'data']) mkdirSync(path.join(root, sub), { recursive: true });
  copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
  chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
  const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
    .split('\n')
    .filter((a) => a && a !== 'busybox');
  for (const applet of applets) symlinkSync('busybox', path.join(root, 'bin', applet));
  execFileSync('sh', ['-c', 'printf "root:x:0:0:root:/root:/bin/sh\\n" > etc/passwd && printf "root:x:0:\\n" > etc/group'], { cwd: root });
  const tar = path.join(dir, 'rootfs.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  return tar;
}

const enginePrefix = 'lanyard-dockerd-';

/**
 * Stop engines left behind by test processes that were killed before their afterAll ran: their dockerd
 * was re-parented to init. Engines of test files still running have a live parent and are left alone.
 */
async function stopOrphanedEngines(): Promise<void> {
  for (const name of readdirSync(os.tmpdir()).filter((n) => n.startsWith(enginePrefix))) {
    const dir = path.join(os.tmpdir(), name);
    let pid = 0;
    try {
      pid = Number(readFileSync(path.join(dir, 'docker.pid'), 'utf8').trim());
      const parent = parentOf(pid);
      if (parent !== 1) continue;
    } catch {
      continue; // no pid file or no such process: starting, or gone already
    }
    // SIGTERM lets dockerd stop its containerd and undo its mounts.
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 20_000;
    while (existsSync(`/proc/${pid}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (existsSync(`/proc/${pid}`)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A free loopback port (the OS picks it; the listener is closed before dockerd takes it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway CA with a server certificate for 127.0.0.1 (dockerd's --tlscert) and a client certificate
 * (DOCKER_CERT_PATH layout: ca.pem, cert.pem, key.pem), made by openssl.
 */
function makeTlsMaterial(openssl: string, dir: string): { caDir: string; certDir: string } {
  const caDir = path.join(dir, 'tls-ca');
  const certDir = path.join(dir, 'tls-client');
  mkdirSync(caDir);
  mkdirSync(certDir);
  const run = (args: string[]) => execFileSync(openssl, args, { cwd: caDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...key, '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Lanyard test engine CA']);
  for (const [name, extensions] of [
    ['server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'],
    ['client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    run(['req', ...key, '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=lanyard-test-${name}`]);
    writeFileSync(path.join(caDir, `${name}.ext`), extensions);
    run([
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}-cert.pem`,
    ]);
  }
  copyFileSync(path.join(caDir, 'ca.pem'), path.join(certDir, 'ca.pem'));
  copyFileSync(path.join(caDir, 'client-cert.pem'), path.join(certDir, 'cert.pem'));
  copyFileSync(path.join(caDir, 'client-key.pem'), path.join(certDir, 'key.pem'));
  return { caDir, certDir };
}

/**
 * TLS material for the engine, made in `dir`: caDir holds ca.pem (trusted for clients), server-cert.pem and
 * server-key.pem (for 127.0.0.1); certDir is a client's DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem).
 */
export type TlsMaterial = (dir: string) => Promise<{ caDir: string; certDir: string }>;

/** tls: true makes the certificates with openssl; a function makes them otherwise (e.g. with Lanyard's own CA). */
export async function startTestEngine(options: { tls?: boolean | TlsMaterial } = {}): Promise<TestEngine> {
  const peers = dockerPeers();
  if (!peers) throw new Error('dockerd, docker or busybox is missing (see the skip note)');
  const openssl = options.tls === true ? findPeer('openssl', 'apt-get install openssl') : null;
  if (options.tls === true && !openssl) throw new Error('openssl is missing (see the skip note)');
  await stopOrphanedEngines();
  const dir = mkdtempSync(path.join(os.tmpdir(), enginePrefix));
  let tls: TestEngine['tls'] = null;
  const tlsArgs: string[] = [];
  if (options.tls) {
    const { caDir, certDir } = typeof options.tls === 'function' ? await options.tls(dir) : makeTlsMaterial(openssl!, dir);
    const port = await freePort();
    tls = { host: `tcp://127.0.0.1:${port}`, port, certDir, caDir };
    tlsArgs.push(
      '--host',
      tls.host,
      '--tlsverify',
      '--tlscacert',
      path.join(caDir, 'ca.pem'),
      '--tlscert',
      path.join(caDir, 'server-cert.pem'),
      '--tlskey',
      path.join(caDir, 'server-key.pem'),
    );
  }
  const socket = path.join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const proxy = 'http://127.0.0.1:9';
  const engineEnv = { ...process.env, HTTP_PROXY: proxy, HTTPS_PROXY: proxy, http_proxy: proxy, https_proxy: proxy, NO_PROXY: '' };
  const log: string[] = [];
  const child: ChildProcess = spawn(
    peers.dockerd,
    [
      `--host`,
      host,
      '--data-root',
      path.join(dir, 'data'),
      '--exec-root',
      path.join(dir, 'exec'),
      '--pidfile',
      path.join(dir, 'docker.pid'),
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      ...tlsArgs,
    ],
    // A session of its own, as a system daemon has: Linux's autogroup scheduler shares CPU time out per session, and
    // in ours the engine's work would be charged to the share of the Lanyard host it serves (the soak bench).
    { env: engineEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  // A test process that exits without stop() must not leave an engine running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.stdout!.on('data', (c: Buffer) => log.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => log.push(c.toString()));
  const deadline = Date.now() + 30_000;
  while (!(await pingEngine(socket))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dockerd did not start (exit ${child.exitCode}):\n${log.join('').slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const configDir = path.join(dir, 'docker-config');
  mkdirSync(configDir);
  const env: NodeJS.ProcessEnv = {
    ...engineEnv,
    DOCKER_HOST: host,
    DOCKER_CONFIG: configDir,
    DOCKER_BUILDKIT: '0',
    DOCKER_CLI_HINTS: 'false',
  };
  const cli = (args: string[], options: { input?: string; timeoutMs?: number } = {}) => {
    try {
      return execFileSync(peers.docker, args, {
        env,
        encoding: 'utf8',
        input: options.input ?? '',
        timeout: options.timeoutMs ?? 30_000,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      const e = error as { stderr?: string; status?: number };
      throw new Error(`docker ${args.join(' ')} failed (${e.status}): ${e.stderr ?? String(error)}`);
    }
  };
  cli(['import', '--change', 'CMD ["/bin/sh"]', busyboxRootfs(peers.busybox, dir), testImage]);

  return {
    host,
    tls,
    docker: peers.docker,
    env,
    dir,
    cli,
    async stop() {
      // Containers whose PID 1 ignores SIGTERM would hold the shutdown for 10 s each: kill them first.
      try {
        const ids = cli(['ps', '-aq']).split('\n').filter(Boolean);
        if (ids.length) cli(['rm', '-f', ...ids], { timeoutMs: 60_000 });
        // A network's bridge (br-…) is a kernel interface dockerd leaves behind when it stops: left, each run's took
        // one of the default address pools until `network create` found none free (31 had piled up here).
        cli(['network', 'prune', '-f'], { timeoutMs: 60_000 });
      } catch {
        // the engine may already be gone
      }
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // an overlay mount the engine failed to undo; the OS temp cleaner gets it
      }
    },
  };
}
