// History sync through git: a bare repository on disk, and one reached over ssh:// through a private sshd on a
// random loopback port (a throwaway host key, the test's own client key, GIT_SSH_COMMAND with the test's
// known_hosts). Runs travel both ways, a push rejected because another machine pushed first is retried after a
// pull, and a deletion on one machine is gone on the other.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPeer } from '../../../support/peers.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { setupSync } from '../../../../main/history/sync/sync.ts';
import { join, setUp, testHost } from './hosts.ts';

const git = findPeer('git', 'Debian package git');
const sshd = findPeer('sshd', 'Debian package openssh-server');

function bareRepo(root: string): string {
  const repo = path.join(root, 'history.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', repo]);
  return repo;
}

async function twoHostsThrough(url: string, root: string) {
  const a = testHost(root, 'laptop');
  const b = testHost(root, 'desktop');
  a.run('echo over git');
  const words = await setUp(a, { kind: 'git', url });
  await join(b, { kind: 'git', url }, words);
  return { a, b };
}

describe.skipIf(!git)('history sync through a git remote', () => {
  it('a bare repository: runs travel both ways, concurrent pushes are retried after a pull, deletions win', async () => {
    const root = tempDir('lanyard-sync-git-');
    const url = bareRepo(root);
    const { a, b } = await twoHostsThrough(url, root);
    expect(b.commands()).toEqual(['echo over git']);
    // Both write and push at once: one push is rejected and retried after a pull.
    for (let i = 0; i < 10; i++) {
      a.run(`a ${i}`);
      b.run(`b ${i}`);
    }
    await Promise.all([a.sync(), b.sync()]);
    await a.sync();
    await b.sync();
    expect(a.commands()).toHaveLength(21);
    expect(b.commands()).toEqual(a.commands());
    b.db.prepare("DELETE FROM history_runs WHERE command_id = (SELECT id FROM history_commands WHERE text = 'a 3')").run();
    await b.sync();
    await a.sync();
    expect(a.commands()).not.toContain('a 3');
    // The remote holds only sealed segments, each host's in its own folder.
    const files = execFileSync('git', ['--git-dir', url, 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).trim().split('\n');
    expect(files.every((f) => /^lanyard\/[0-9a-f]{32}\/\d{12}-\d{12}\.seg$/.test(f))).toBe(true);
    expect(new Set(files.map((f) => f.split('/')[1])).size).toBe(2);
  }, 120_000);

  it('a remote given as a path (~/…) is the user’s path, not one relative to the clone git runs in', async () => {
    const root = tempDir('lanyard-sync-git-');
    const repo = bareRepo(root);
    const [a, b] = [testHost(root, 'laptop'), testHost(root, 'desktop')];
    a.run('echo through a path');
    const env = { ...process.env, HOME: root };
    const { words } = await setupSync(a.db, a.dataDir, { kind: 'git', url: `~/${path.basename(repo)}` }, env, undefined, a.name);
    expect(a.status().target!.location).toBe(repo);
    await join(b, { kind: 'git', url: repo }, words.join(' '));
    expect(b.commands()).toEqual(['echo through a path']);
  });

  it("a remote that cannot be reached says why (ssh's own line, not only git's boilerplate) and sets nothing up", async () => {
    const root = tempDir('lanyard-sync-git-');
    // A loopback port nothing listens on: bound, then closed.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const a = testHost(root, 'laptop');
    const url = `ssh://git@127.0.0.1:${port}/srv/history.git`;
    await expect(setUp(a, { kind: 'git', url })).rejects.toThrow(`port ${port}: Connection refused`);
    expect(a.status().setUp).toBe(false);
  });

  describe.skipIf(!sshd)('over ssh:// to a local sshd', () => {
    let server: ChildProcess | null = null;
    afterAll(() => {
      server?.kill();
    });

    it('syncs through the user’s ssh (GIT_SSH_COMMAND, a test key and known_hosts)', async () => {
      const root = tempDir('lanyard-sync-ssh-');
      const repo = bareRepo(root);
      const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
      keygen(path.join(root, 'host_key'));
      keygen(path.join(root, 'client_key'));
      writeFileSync(path.join(root, 'authorized_keys'), readFileSync(path.join(root, 'client_key.pub')), { mode: 0o600 });
      const port = await freePort();
      const config = path.join(root, 'sshd_config');
      writeFileSync(
        config,
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${path.join(root, 'host_key')}`,
          `AuthorizedKeysFile ${path.join(root, 'authorized_keys')}`,
          `PidFile ${path.join(root, 'sshd.pid')}`,
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          'StrictModes no',
          '',
        ].join('\n'),
      );
      server = spawn(sshd!, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      let log = '';
      server.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
      });
      await waitForPort(port);
      const hostPub = readFileSync(path.join(root, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ');
      writeFileSync(path.join(root, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub}\n`);
      const saved = process.env.GIT_SSH_COMMAND;
      process.env.GIT_SSH_COMMAND = `ssh -i ${path.join(root, 'client_key')} -o IdentitiesOnly=yes -o UserKnownHostsFile=${path.join(root, 'known_hosts')} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
      try {
        const url = `ssh://${os.userInfo().username}@127.0.0.1:${port}${repo}`;
        const { a, b } = await twoHostsThrough(url, root);
        expect(b.commands()).toEqual(['echo over git']);
        b.run('back over ssh');
        await b.sync();
        await a.sync();
        expect(a.commands()).toEqual(['back over ssh', 'echo over git']);
      } catch (error) {
        throw new Error(`${(error as Error).message}\nsshd log:\n${log}`);
      } finally {
        if (saved === undefined) delete process.env.GIT_SSH_COMMAND;
        else process.env.GIT_SSH_COMMAND = saved;
      }
      // Every git step is an ssh connection (a key exchange each): tens of seconds on a loaded machine.
    }, 180_000);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sshd did not listen on ${port}`);
}
