// Reads a V8 .cpuprofile (node --cpu-prof) and says what a thread did: the functions with the most self time, and
// its longest tasks (runs of samples with no idle between them) with the call paths they spent their time in. The
// soak bench prints this for the host's thread under LANYARD_SOAK_PROFILE=1. The profile's clock is wall time: a
// task's length includes time the thread waited for a core or in a system call, as an event-loop stall does.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time, ms, and the part not idle. */
  totalMs: number;
  busyMs: number;
  topSelf: [string, number][];
  /** Longest first. */
  tasks: { atMs: number; ms: number; paths: [string, number][] }[];
}

/** Frames from the root this deep name a task's path (timers → the timer's function → what it called). */
const pathDepth = 4;

export function summarizeProfile(file: string, taskCount = 5): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id: number) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    return `${functionName || '(anonymous)'}${url ? ` ${url.split('/').at(-1)}:${lineNumber + 1}` : ''}`;
  };
  const pathOf = (id: number) => {
    const frames: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(label(at));
    return frames
      .reverse()
      .slice(1, 1 + pathDepth)
      .join(' > '); // without (root)
  };
  const self = new Map<string, number>();
  const tasks: ProfileSummary['tasks'] = [];
  let task: { atMs: number; ms: number; paths: Map<string, number> } | null = null;
  let clock = 0;
  let busyMs = 0;
  const end = () => {
    if (task) tasks.push({ atMs: task.atMs, ms: task.ms, paths: [...task.paths].sort((a, b) => b[1] - a[1]).slice(0, 4) });
    task = null;
  };
  for (const [i, id] of profile.samples.entries()) {
    // A sample's time is the delta to the next one.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    clock += (profile.timeDeltas[i] ?? 0) / 1000;
    const name = label(id);
    self.set(name, (self.get(name) ?? 0) + ms);
    if (nodes.get(id)!.callFrame.functionName === '(idle)') {
      end();
      continue;
    }
    busyMs += ms;
    task ??= { atMs: clock, ms: 0, paths: new Map() };
    task.ms += ms;
    const path = pathOf(id);
    task.paths.set(path, (task.paths.get(path) ?? 0) + ms);
  }
  end();
  return {
    totalMs: clock,
    busyMs,
    topSelf: [...self]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12),
    tasks: tasks.sort((a, b) => b.ms - a.ms).slice(0, taskCount),
  };
}

export function printProfile(what: string, summary: ProfileSummary): string {
  const lines = [
    `${what}: ${(summary.totalMs / 1000).toFixed(0)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s not idle; most self time:`,
    ...summary.topSelf.map(([name, ms]) => `    ${ms.toFixed(0).padStart(7)} ms  ${name}`),
    '  longest tasks (ms, at s into the profile) and where they spent it:',
    ...summary.tasks.flatMap((t) => [
      `    ${t.ms.toFixed(0).padStart(6)} ms at ${(t.atMs / 1000).toFixed(1)} s`,
      ...t.paths.map(([path, ms]) => `        ${ms.toFixed(0).padStart(5)}  ${path}`),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
