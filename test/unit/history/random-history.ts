// Seeded random history for tests that judge the store against a brute-force scan.
import type { RunRecord } from '../../../main/history/store.ts';

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  'git',
  'GIT',
  'status',
  'commit',
  '-m',
  'docker',
  'ps',
  'ls',
  '-la',
  'cd',
  'make',
  'npm',
  'test',
  'grep',
  '-F',
  'foo%bar',
  'a_b',
  'x*y',
  'q?',
  '[ab]',
  '"quoted"',
  "it's",
  'café',
  '→',
  'kubectl',
  'logs',
  '|',
  '&&',
  'echo',
  'Hello',
  'WORLD',
  'ab',
  'a',
  'b',
];
const dirs = ['/home/u', '/home/u/src', '/home/u/src/app', '/home/u/srcx', '/tmp', '/', '/home/u/src/app/deep'];

export function randomRuns(n: number, distinct: number, seed = 7): RunRecord[] {
  const rand = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const commands: string[] = [];
  while (commands.length < distinct) {
    const len = 1 + Math.floor(rand() * 5);
    let text = Array.from({ length: len }, () => pick(words)).join(rand() < 0.1 ? '\n' : ' ');
    if (rand() < 0.05) text += ' \\\n  continued';
    if (!commands.includes(text)) commands.push(text);
  }
  const runs: RunRecord[] = [];
  // Distinct start times, so "the last run" is never a tie.
  const times = new Set<number>();
  for (let i = 0; i < n; i++) {
    let t = 1_600_000_000_000 + Math.floor(rand() * 1e9);
    while (times.has(t)) t++;
    times.add(t);
    runs.push({
      command: pick(commands),
      startedAt: t,
      durationMs: Math.floor(rand() * 5000),
      exit: pick([0, 0, 0, 1, 2, 127, null]),
      cwd: pick(dirs),
      session: pick(['s1', 's2', 's3']),
      host: pick(['alpha', 'beta']),
      user: 'u',
      shell: pick(['bash', 'zsh', 'fish']),
      source: 'test',
      dedupe: `t:${i}`,
    });
  }
  return runs;
}
