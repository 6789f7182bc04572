// A Debian-family image with Debian's REAL trust tooling, made without a pull: busybox-static for the shell and
// the small tools, plus this machine's own /usr/sbin/update-ca-certificates (a shell script), openssl and run-parts
// with the libraries ldd names, /etc/ca-certificates.conf and /usr/share/ca-certificates, imported with
// `docker import`; then update-ca-certificates runs once in it and the result is committed, as Debian's postinst
// builds the bundle at install time.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { busyboxRootfs, type TestEngine } from './dockerd.ts';

export const debianCaImage = 'debian-ca:1';
export const debianCaTools = ['/usr/sbin/update-ca-certificates', '/usr/bin/openssl', '/usr/bin/run-parts'];

/** The shared libraries a binary loads, as ldd lists them (absolute paths only). */
function librariesOf(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(' '))
    .map((words) => words.find((w) => w.startsWith('/')))
    .filter((w): w is string => w !== undefined);
}

function copyInto(root: string, file: string): void {
  const target = path.join(root, file);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(file, target);
  chmodSync(target, 0o755);
}

/** Builds debianCaImage on `engine` (about 3 MB of busybox and 7 MB of OpenSSL and libc). */
export function importDebianCaImage(engine: TestEngine, busybox: string, dir: string): void {
  busyboxRootfs(busybox, dir);
  const root = path.join(dir, 'rootfs');
  for (const tool of debianCaTools) {
    copyInto(root, tool);
    // update-ca-certificates is a script: it has no libraries of its own.
    if (!readFileSync(tool).subarray(0, 2).equals(Buffer.from('#!'))) for (const lib of librariesOf(tool)) copyInto(root, lib);
  }
  copyFileSync('/etc/os-release', path.join(root, 'etc', 'os-release'));
  copyFileSync('/etc/ca-certificates.conf', path.join(root, 'etc', 'ca-certificates.conf'));
  cpSync('/usr/share/ca-certificates', path.join(root, 'usr', 'share', 'ca-certificates'), { recursive: true });
  for (const sub of ['etc/ssl/certs', 'etc/ca-certificates/update.d', 'usr/local/share/ca-certificates', 'usr/lib/ssl'])
    mkdirSync(path.join(root, sub), { recursive: true });
  copyFileSync('/etc/ssl/openssl.cnf', path.join(root, 'etc', 'ssl', 'openssl.cnf'));
  // OpenSSL's default store, as Debian links it.
  symlinkSync('/etc/ssl/certs', path.join(root, 'usr', 'lib', 'ssl', 'certs'));
  symlinkSync('/etc/ssl/openssl.cnf', path.join(root, 'usr', 'lib', 'ssl', 'openssl.cnf'));
  const tar = path.join(dir, 'debian-ca.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  engine.cli(['import', tar, 'debian-ca:base']);
  const builder = 'debian-ca-build';
  engine.cli(['run', '--pull=never', '--name', builder, 'debian-ca:base', 'update-ca-certificates'], { timeoutMs: 60_000 });
  engine.cli(['commit', builder, debianCaImage]);
  engine.cli(['rm', builder]);
}
