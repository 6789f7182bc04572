// What Linux says of a process in /proc/<pid>/stat: its state, parent and session (the fields after the
// parenthesised name, which may itself hold spaces and parentheses).
import { readdirSync, readFileSync } from 'node:fs';

/** The fields after the name: [0] state, [1] parent, [2] process group, [3] session, … [11] utime, [12] stime. */
export function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

export const parentOf = (pid: number): number => Number(statFields(pid)[1]);
export const sessionOf = (pid: number): number => Number(statFields(pid)[3]);

/** Running (a zombie still answers signal 0, but it has exited all the same). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return statFields(pid)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => {
      try {
        return parentOf(child) === pid;
      } catch {
        return false; // gone while listed
      }
    });
}
