// The bash hook before L2 spool records (main/history/spool.ts) kept one scratch file per session, which it could not
// remove on exit without a fork; shells that loaded that hook go on making them until they exit. The name starts
// with the session id, `<epoch>-<pid>-<random>`: a file whose shell has gone is removed here. A shell that is
// still running but was wrongly taken for gone (a pid from another host sharing the folder) only reopens its
// file on its next prompt.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from '../system/process-alive.ts';

/** Removes the scratch files among `names` (entries of `dir`) whose shell has exited; returns how many. */
export function sweepScratch(dir: string, names: readonly string[], isAlive: (pid: number) => boolean = processAlive): number {
  let removed = 0;
  for (const name of names) {
    const pid = /^\d+-(\d+)-\d+\.scratch$/.exec(name)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    rmSync(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
