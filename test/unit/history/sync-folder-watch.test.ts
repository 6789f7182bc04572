// The synced folder's watch: sees a segment land in a machine's folder, including a machine whose folder appeared
// after the watch began, and never keeps a process alive (Node's recursive watch on Linux did: every CLI command
// in a synced home hung once the folder held a segment).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchSegmentFolders } from '../../../main/history/sync/folder-watch.ts';
import { repoRoot } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return check();
};

describe('synced folder watch', () => {
  it("sees a segment land in an existing machine's folder and in one that appeared later", async () => {
    const base = tempDir();
    mkdirSync(path.join(base, 'a'));
    let changes = 0;
    const w = watchSegmentFolders(base, () => changes++);
    try {
      writeFileSync(path.join(base, 'a', '1-1.seg'), 'x');
      expect(await until(() => changes > 0)).toBe(true);
      mkdirSync(path.join(base, 'b'));
      await new Promise((resolve) => setTimeout(resolve, 200)); // the new folder's watch starts
      const before = changes;
      writeFileSync(path.join(base, 'b', '1-1.seg'), 'x');
      expect(await until(() => changes > before)).toBe(true);
    } finally {
      w.close();
    }
  });

  it('does not keep a process alive', () => {
    const base = tempDir();
    mkdirSync(path.join(base, 'a', 'deeper'), { recursive: true });
    const script = `import { watchSegmentFolders } from ${JSON.stringify(path.join(repoRoot, 'main/history/sync/folder-watch.ts'))};
      watchSegmentFolders(${JSON.stringify(base)}, () => {});`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
  });
});
