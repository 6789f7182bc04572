// The history worker (spool passes, imports, syncs) runs below the priority of the thread that answers the user:
// checked in the kernel's own view of each thread (/proc/self/task/<tid>/stat), after a real spool pass.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSpoolWorker, type SpoolWorker } from '../../../main/history/spool-worker.ts';
import { backgroundNice } from '../../../main/system/background-thread.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** Each thread of this process: its name and nice value (stat fields 2 and 19). */
function threads(): { name: string; nice: number }[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(path.join('/proc/self/task', tid, 'stat'), 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), nice: Number(fields[16]) };
  });
}

let worker: SpoolWorker | null = null;
afterEach(() => worker?.close());

describe.runIf(process.platform === 'linux')('history worker priority', () => {
  it('runs its passes at the background nice value; the calling thread keeps its own', async () => {
    const before = threads()[0]!.nice;
    worker = startSpoolWorker(tempDir('lanyard-priority-'));
    await worker.pass(100);
    const all = threads();
    expect(all.find((t) => t.name === 'history spool')?.nice).toBe(Math.max(before, backgroundNice));
    expect(all.filter((t) => t.name !== 'history spool').every((t) => t.nice === before)).toBe(true);
  });
});
