// An image with no shell, like a distroless one: `docker import` of a rootfs whose only file is busybox-static
// named /sleep (busybox picks its applet by that name), run as `/sleep 3600`.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TestEngine } from './dockerd.ts';

export const shellless = 'shellless:1';

export function importShellless(engine: TestEngine, busybox: string, dir: string): void {
  const root = path.join(dir, 'shellless-rootfs');
  mkdirSync(root, { recursive: true });
  copyFileSync(busybox, path.join(root, 'sleep'));
  chmodSync(path.join(root, 'sleep'), 0o755);
  const tar = path.join(dir, 'shellless.tar');
  execFileSync('tar', ['-C', root, '-cf', tar, '.']);
  engine.cli(['import', '--change', 'CMD ["/sleep", "3600"]', tar, shellless]);
}
