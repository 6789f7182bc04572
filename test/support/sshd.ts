// A private sshd (Debian's openssh-server) on a random loopback port, for ssh:// engines: a throwaway host key,
// the test's own client key as the only authorized key, and `SetEnv DOCKER_HOST=…` so the session's
// `docker system dial-stdio` reaches the test's private dockerd. The client side is the real ssh, run through a
// wrapper first on PATH that adds `-F` with the test's key and known_hosts: the "user's ssh config".
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findPeer } from './peers.ts';

export interface TestSshd {
  port: number;
  /** ssh://root@127.0.0.1:PORT */
  url: string;
  /** PATH whose `ssh` knows the host key (known_hosts holds it). */
  knownPath: string;
  /** PATH whose `ssh` has an empty known_hosts: the host key is unknown to it. */
  unknownPath: string;
  /** The host key's fingerprint as ssh-keygen prints it (SHA256:…). */
  fingerprint: string;
  /** The wrappers' known_hosts files (the unknown one must stay empty). */
  knownHosts: { known: string; unknown: string };
  stop(): Promise<void>;
}

export function sshPeers(): { sshd: string; ssh: string; keygen: string } | null {
  const sshd = findPeer('sshd', 'apt-get install openssh-server');
  const ssh = findPeer('ssh', 'apt-get install openssh-client');
  const keygen = findPeer('ssh-keygen', 'apt-get install openssh-client');
  if (!sshd || !ssh || !keygen) return null;
  return { sshd, ssh, keygen };
}

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

function waitForPort(port: number, child: ChildProcess, log: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null) return reject(new Error(`sshd exited (${child.exitCode}): ${log.join('')}`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('data', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd did not listen on ${port}: ${log.join('')}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** sshd for `root` on 127.0.0.1:random, whose sessions get `env` (e.g. DOCKER_HOST of a test engine). */
export async function startSshd(env: Record<string, string>): Promise<TestSshd> {
  const peers = sshPeers();
  if (!peers) throw new Error('sshd, ssh or ssh-keygen is missing (see the skip note)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lanyard-sshd-'));
  chmodSync(dir, 0o700);
  const keygen = (file: string) => execFileSync(peers.keygen, ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'client_key'));
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')));
  const port = await freePort();
  // sshd wants its privilege separation folder.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const setEnv = Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  writeFileSync(
    path.join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxStartups 100',
      'PrintMotd no',
      'PrintLastLog no',
      'UseDNS no',
      'X11Forwarding no',
      'MaxSessions 100',
      ...(setEnv ? [`SetEnv ${setEnv}`] : []),
      '',
    ].join('\n'),
  );
  const log: string[] = [];
  const child = spawn(peers.sshd, ['-D', '-e', '-f', path.join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (c: Buffer) => log.push(c.toString()) > 200 && log.shift();
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  await waitForPort(port, child, log);

  const hostPub = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const fingerprint = execFileSync(peers.keygen, ['-l', '-f', path.join(dir, 'host_key.pub')], { encoding: 'utf8' }).split(' ')[1]!;
  const wrapper = (name: string, knownHosts: string): string => {
    const bin = path.join(dir, name);
    mkdirSync(bin);
    const config = path.join(bin, 'ssh_config');
    writeFileSync(
      config,
      [
        'Host *',
        `  IdentityFile ${path.join(dir, 'client_key')}`,
        '  IdentitiesOnly yes',
        `  UserKnownHostsFile ${knownHosts}`,
        '  GlobalKnownHostsFile /dev/null',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(bin, 'ssh'), `#!/bin/sh\nexec ${peers.ssh} -F ${config} "$@"\n`, { mode: 0o755 });
    return `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
  };
  const known = path.join(dir, 'known_hosts');
  const unknown = path.join(dir, 'known_hosts_empty');
  writeFileSync(known, `[127.0.0.1]:${port} ${hostPub}\n`);
  writeFileSync(unknown, '');
  return {
    port,
    url: `ssh://root@127.0.0.1:${port}`,
    knownPath: wrapper('known', known),
    unknownPath: wrapper('unknown', unknown),
    fingerprint,
    knownHosts: { known, unknown },
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
