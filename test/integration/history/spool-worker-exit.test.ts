// The spool worker never keeps a process alive: the CLI's in-process host starts it (auto-sync watches the spool
// in a synced home), and on Node 24 a Worker's 'message' listener added after unref() refs it again — every
// `lanyard history sync …` command in a synced home then printed its result and never exited.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/paths.ts';
import { tempDir } from '../../support/temp-dir.ts';

const module = (file: string) => JSON.stringify(path.join(repoRoot, file));

describe('history spool worker', () => {
  it('answers a pass and leaves the process free to exit', () => {
    const dataDir = tempDir();
    const script = `import { openHistoryDb } from ${module('main/history/store.ts')};
      import { startSpoolWorker } from ${module('main/history/spool-worker.ts')};
      openHistoryDb(${JSON.stringify(dataDir)}).close(); // migrated, as the service does first
      const waiting = setInterval(() => {}, 1000); // an unref'd thread's reply alone does not hold the process
      const result = await startSpoolWorker(${JSON.stringify(dataDir)}).pass(100);
      clearInterval(waiting);
      process.stdout.write(JSON.stringify(result));`;
    // A file, not -e: the worker inherits the process's flags, and --input-type would refuse its script.
    const file = path.join(dataDir, 'start-spool-worker.mjs');
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 20_000 });
    expect(child.error).toBeUndefined(); // ETIMEDOUT when the worker holds the process
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ added: 0 });
  });
});
