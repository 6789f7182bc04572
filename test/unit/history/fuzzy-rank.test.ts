// Fuzzy ranking runs on the host thread over commands anyone can get into the history (a pasted script, an
// imported file): its cost must not grow with the square of a command's length.
import { describe, expect, it } from 'vitest';
import { searchQuery } from '../../../main/history/contract.ts';
import { fuzzyFilter } from '../../../main/docker/fuzzy.ts';
import { search } from '../../../main/history/search/search.ts';
import { openHistoryDb, runWriter, type RunRecord } from '../../../main/history/store.ts';
import { fuzzyScore, matches } from '../../../main/history/search/text-match.ts';
import { tempDir } from '../../support/temp-dir.ts';

/**
 * The CPU time `work` takes (after one warm-up run, so the JIT is not what is measured). CPU, not wall time: the
 * test machine is shared, and what is bounded here is the work, not the wait for a core.
 */
const timed = <T>(work: () => T): { value: T; ms: number } => {
  work();
  const started = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(started);
  return { value, ms: (used.user + used.system) / 1000 };
};

/** Commands where every start of the first query character leads to a full match at the very end. */
const adversarial = (length: number) => [
  `${'a'.repeat(length - 1)}b`,
  `${'ab'.repeat(length / 2 - 1)}zz`,
  `${'a/'.repeat(length / 2 - 1)}az`,
];

describe('fuzzy ranking is bounded', () => {
  it('scores and matches a 1 MB command within 100 ms', () => {
    for (const command of adversarial(1024 * 1024)) {
      for (const query of ['ab', 'az', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab', 'zz']) {
        const { ms } = timed(() => [fuzzyScore(query, command), matches('fuzzy', query, command)]);
        expect(ms, `${query} on ${command.slice(0, 8)}…`).toBeLessThan(100);
      }
    }
    expect(matches('fuzzy', 'ab', adversarial(1024 * 1024)[0]!)).toBe(true);
    expect(matches('fuzzy', 'ba', adversarial(1024 * 1024)[0]!)).toBe(false);
  });

  it('ranks a match near the start above one only past the window, and keeps the usual order for short commands', () => {
    const far = `${'x '.repeat(5000)}git status`;
    expect(fuzzyScore('gst', far)).toBe(0);
    expect(fuzzyScore('gst', 'git status')).toBeGreaterThan(fuzzyScore('gst', 'grep -r something test'));
    expect(fuzzyScore('gst', 'git status')).toBeGreaterThan(0);
  });

  it('a fuzzy search over long hostile commands answers within 100 ms of ranking', () => {
    const db = openHistoryDb(tempDir());
    const runs: RunRecord[] = [];
    // 40 commands of 30 KB (the size the review timed at 350 ms each), then ordinary ones.
    for (let i = 0; i < 40; i++) runs.push(record(`${'a'.repeat(30_000 + i)}b`, i));
    for (let i = 0; i < 200; i++) runs.push(record(`git commit -m "change ${i}" && a b`, 100 + i));
    runWriter(db).write(runs);
    const q = searchQuery.parse({ query: 'ab', mode: 'fuzzy', limit: 50 });
    const { value, ms } = timed(() => search(db, q));
    expect(value.rows.length).toBe(50);
    expect(ms).toBeLessThan(100);
    // The ordinary commands, whose match is at a word start, rank above the hostile ones.
    expect(value.rows[0]!.command).toMatch(/^git commit/);
    db.close();
  });

  it('the Docker cheat filter is linear too: a 1 MB cheat text within 100 ms', () => {
    const template = `${'a'.repeat(1024 * 1024 - 1)}b`;
    const items = [{ title: 'x', template, tags: ['a'.repeat(1000)], description: 'ab'.repeat(100_000), id: 'id' }];
    const { value, ms } = timed(() => fuzzyFilter(items, 'ab aab aaaaaaaaaaaaaaaaaaaab ba'));
    expect(ms).toBeLessThan(100);
    expect(value).toHaveLength(1);
  });
});

function record(command: string, at: number): RunRecord {
  return {
    command,
    startedAt: 1_700_000_000_000 + at * 1000,
    durationMs: null,
    exit: 0,
    cwd: '/',
    session: 's',
    host: 'h',
    user: 'u',
    shell: 'bash',
    source: 'hook',
    dedupe: null,
  };
}
