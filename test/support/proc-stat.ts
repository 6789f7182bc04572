// What Linux says of a process in /proc: its state, parent and session from /proc/<pid>/stat (the fields after the
// parenthesised name, which may itself hold spaces and parentheses), its children, command line and resident memory.
import { readFileSync } from 'node:fs';

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

/** Resident set size, in MB, from /proc/<pid>/status. */
export const rssMbOf = (pid: number): number => Number(/VmRSS:\s*(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/** The processes `pid` has started from its main thread (where Node forks and spawns), as the kernel lists them. */
export function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number);
}

/** A process's command line, its arguments joined by spaces. */
export const commandLineOf = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');

/** The child of `pid` whose command line holds one of `names` (a helper it forked), if one runs. */
export function childRunning(pid: number, ...names: string[]): number | null {
  for (const child of childrenOf(pid)) {
    try {
      const commandLine = commandLineOf(child);
      if (names.some((name) => commandLine.includes(name))) return child;
    } catch {
      // gone while listed
    }
  }
  return null;
}
