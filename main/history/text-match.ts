// How a query matches a command, shared by the SQL search and its brute-force judge in tests.
// Matching ignores ASCII case only (SQLite's lower() and LIKE do the same), so both sides agree exactly.
import type { SearchMode } from '../contract/history.ts';

export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

export function matches(mode: SearchMode, query: string, command: string): boolean {
  const q = asciiLower(query);
  const c = asciiLower(command);
  if (mode === 'substring') return c.includes(q);
  if (mode === 'prefix') return c.startsWith(q);
  return fuzzyScore(q, c) !== null;
}

const wordBreaks = new Set([' ', '\t', '\n', '/', '.', '_', ':', '=', '-']);

/**
 * fzf-like score of `query` as a subsequence of `command` (both already lowered): null when it is not one.
 * Rewards consecutive letters and letters at word starts, penalises gaps; greedy from the best start.
 */
export function fuzzyScore(query: string, command: string): number | null {
  const q = [...query];
  if (q.length === 0) return 0;
  const c = [...command];
  let best: number | null = null;
  for (let start = 0; start < c.length; start++) {
    if (c[start] !== q[0]) continue;
    let score = 0;
    let qi = 0;
    let prev = -2;
    for (let i = start; i < c.length && qi < q.length; i++) {
      if (c[i] !== q[qi]) continue;
      score += 16;
      if (i === prev + 1) score += 12;
      else if (prev >= 0) score -= Math.min(8, i - prev - 1);
      if (i === 0 || wordBreaks.has(c[i - 1]!)) score += 8;
      prev = i;
      qi++;
    }
    if (qi < q.length) break;
    if (best === null || score > best) best = score;
  }
  return best;
}
