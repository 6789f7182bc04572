// Work nobody is waiting on right now (the spool watcher's passes, an import, a sync) runs on worker threads at a
// lower priority than the threads that answer the user, as Chromium's and VS Code's background threads do. On a
// busy machine the scheduler then gives the service host's own thread (terminals, requests) its turn first.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value of a background thread (Chromium's kBackground uses 10 as well). */
export const backgroundNice = 10;

/** Lower the calling thread's priority to `backgroundNice` (never raise it: a process started nicer stays so). Linux
 *  only, where a thread has an id of its own that setpriority(2) accepts (/proc/thread-self names it). */
export function lowerThisThreadPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.max(getPriority(tid), backgroundNice));
  } catch {
    // No /proc (a sandbox): the thread keeps the process's priority, which is only less polite.
  }
}
