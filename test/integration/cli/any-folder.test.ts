// `lanyard` from any folder: installed with `lanyard install-command` into a user's ~/.local/bin, then run in a
// project folder outside the checkout by a shell whose PATH has the system Node (older than 24) first.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { lstatSync, readlinkSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/paths.ts';
import { findPeer } from '../../support/peers.ts';
import { alive, childrenOf } from '../../support/proc-stat.ts';
import { tempDir } from '../../support/temp-dir.ts';

const bin = path.join(repoRoot, 'main', 'cli', 'bin.js');
// The system Node (Debian's /usr/bin/node), not the pinned one npm puts first on PATH for the tests.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((file) => existsSync(file)) ?? null;
const openssl = findPeer('openssl', 'apt-get install openssl');

describe.skipIf(!systemNode || !openssl)('lanyard from any folder, on the system Node', () => {
  const user = tempDir();
  const env = {
    HOME: user,
    LANYARD_HOME: path.join(user, 'lanyard'),
    CAROOT: path.join(user, 'ca'),
    PATH: `${path.join(user, '.local', 'bin')}:${path.dirname(systemNode!)}:/usr/bin:/bin`,
    NO_COLOR: '1',
    SHELL: '/bin/sh',
  };

  it('the system Node here is older than 24, so the re-exec is what is tested', () => {
    const version = execFileSync(systemNode!, ['--version'], { encoding: 'utf8' }).trim();
    if (Number(version.slice(1).split('.')[0]) >= 22)
      process.stderr.write(`\n*** note: system Node is ${version}: bin.js runs the CLI itself, no re-exec ***\n`);
    expect(version).toMatch(/^v\d+\./);
  });

  it('install-command links ~/.local/bin/lanyard to this install and says what it did', () => {
    const first = spawnSync(systemNode!, [bin, 'install-command'], { env, encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    const link = path.join(user, '.local', 'bin', 'lanyard');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(bin);
    expect(first.stdout).toContain(`Linked ${link} → ${bin}`);
    const again = spawnSync(systemNode!, [bin, 'install-command'], { env, encoding: 'utf8' });
    expect(again.stdout).toContain('already runs this Lanyard');
  });

  it('refuses to replace a file of that name that is not its own, unless --force', () => {
    const dir = path.join(user, 'other-bin');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'lanyard'), '#!/bin/sh\necho someone else\n');
    const refused = spawnSync(systemNode!, [bin, 'install-command', '--dir', dir], { env, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--force');
    const forced = spawnSync(systemNode!, [bin, 'install-command', '--dir', dir, '--force'], { env, encoding: 'utf8' });
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('is not on your PATH yet');
    expect(readlinkSync(path.join(dir, 'lanyard'))).toBe(bin);
  });

  it('`lanyard cert localhost` in a project folder writes there, signed by the CA, on Node 24', () => {
    const project = path.join(user, 'src', 'myapp');
    mkdirSync(project, { recursive: true });
    const run = spawnSync('/bin/sh', ['-c', 'lanyard cert localhost 127.0.0.1'], { cwd: project, env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stderr).toBe(0);
    const cert = path.join(project, 'localhost+1.pem');
    expect(existsSync(cert)).toBe(true);
    expect(existsSync(path.join(project, 'localhost+1-key.pem'))).toBe(true);
    const verify = spawnSync(openssl!, ['verify', '-CAfile', path.join(user, 'ca', 'rootCA.pem'), cert], { encoding: 'utf8' });
    expect(verify.stdout).toContain(': OK');
    const doctor = spawnSync('/bin/sh', ['-c', 'lanyard doctor --json'], { cwd: project, env, encoding: 'utf8', timeout: 30_000 });
    expect(doctor.stdout).toMatch(/"node":\s*"24\./);
  });

  it('passes a SIGTERM sent to it alone on to the CLI (`kill PID`, Wireshark ending an extcap): a capture stops whole', async () => {
    const file = path.join(user, 'term.pcapng');
    const run = spawn(systemNode!, [bin, 'tzsp', 'listen', '--port', '0', '--bind', '127.0.0.1', '--write', file], { env });
    let out = '';
    run.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    run.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
    for (let waited = 0; !out.includes('Ctrl+C stops') && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const cli = childrenOf(run.pid!);
    expect(cli, out).toHaveLength(1); // the re-executed CLI on Node 24
    run.kill('SIGTERM'); // to the re-exec wrapper only, as `kill PID` does
    expect(await exited, out).toBe(0);
    expect(out).toContain('stopped on SIGTERM');
    expect(alive(cli[0]!)).toBe(false);
    expect(existsSync(file)).toBe(true);
  });

  it('passes the exit code through the re-exec', () => {
    const bad = spawnSync('/bin/sh', ['-c', 'lanyard frobnicate'], { env, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command');
  });
});
