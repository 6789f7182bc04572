// How a query matches a command, shared by the SQL search and its brute-force judge in tests.
// Matching ignores ASCII case only (SQLite's lower() and LIKE do the same), so both sides agree exactly.
import type { SearchMode } from '../contract.ts';

export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}

export function matches(mode: SearchMode, query: string, command: string): boolean {
  const q = asciiLower(query);
  const c = asciiLower(command);
  if (mode === 'substring') return c.includes(q);
  if (mode === 'prefix') return c.startsWith(q);
  return isSubsequence(q, c);
}

const wordBreaks = new Set([' ', '\t', '\n', '/', '.', '_', ':', '=', '-']);

/**
 * Ranking reads at most this many characters of a command and tries at most this many starts in them, so a
 * score costs at most their product in steps whatever the command's length (trying every start of a whole
 * command was quadratic: 350 ms for one of 30 KB). Typed commands are far shorter; a longer one is ranked by its
 * beginning.
 */
const rankWindow = 1024;
const rankStarts = 32;

/** Whether `query` is a subsequence of `command` (both already lowered): one pass. */
function isSubsequence(query: string, command: string): boolean {
  const q = [...query];
  let qi = 0;
  for (const ch of command) {
    if (qi === q.length) break;
    if (ch === q[qi]) qi++;
  }
  return qi === q.length;
}

/**
 * fzf-like score of `query` (lowered) in a command that matches it as a subsequence. Rewards consecutive letters
 * and letters at word starts, penalises gaps; greedy from the best start. A command whose match lies past the
 * window scores 0, below any found in it (each letter there scores at least 8).
 */
export function fuzzyScore(query: string, command: string): number {
  const q = [...query];
  if (q.length === 0) return 0;
  // Twice the window in UTF-16 units holds at least the window in code points; only that much is lowered.
  const c = Array.from(asciiLower(command.slice(0, rankWindow * 2))).slice(0, rankWindow);
  let best = 0;
  let starts = 0;
  for (let start = 0; start < c.length && starts < rankStarts; start++) {
    if (c[start] !== q[0]) continue;
    starts++;
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
    // Not all in the window from here: nor from any later start.
    if (qi < q.length) break;
    best = Math.max(best, score);
  }
  return best;
}
