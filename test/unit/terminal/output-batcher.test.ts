import { describe, expect, it } from 'vitest';
import { batchMaxChars, batchWindowMs, createOutputBatcher } from '../../../main/terminal/output-batcher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('terminal output batching', () => {
  it('sends the first chunk after a quiet spell at once, then joins what comes within the window', async () => {
    const sent: string[] = [];
    const batcher = createOutputBatcher((data) => sent.push(data), 20);
    batcher.push('a');
    // A keystroke's echo is not held back.
    expect(sent).toEqual(['a']);
    batcher.push('b');
    batcher.push('c');
    expect(sent).toEqual(['a']);
    await sleep(80);
    expect(sent).toEqual(['a', 'bc']);
    // The window after 'bc' has passed with nothing in it: the next chunk goes at once again.
    await sleep(80);
    batcher.push('d');
    expect(sent).toEqual(['a', 'bc', 'd']);
    batcher.dispose();
  });

  it('never sends more than the size cap in one message, and loses nothing', () => {
    const sent: string[] = [];
    const batcher = createOutputBatcher((data) => sent.push(data), 60_000, 10);
    const input = Array.from({ length: 50 }, (_, i) => `${i % 10}`.repeat((i % 7) + 1));
    for (const chunk of input) batcher.push(chunk);
    batcher.flush();
    expect(sent.join('')).toBe(input.join(''));
    expect(Math.max(...sent.map((s) => s.length))).toBeLessThanOrEqual(10);
    // Joined, not one message per chunk.
    expect(sent.length).toBeLessThan(input.length);
    batcher.dispose();
  });

  it('flush sends what is pending now; dispose drops the timer', async () => {
    const sent: string[] = [];
    const batcher = createOutputBatcher((data) => sent.push(data), 30);
    batcher.push('x');
    batcher.push('y');
    batcher.flush();
    expect(sent).toEqual(['x', 'y']);
    batcher.push('z');
    batcher.dispose();
    await sleep(100);
    expect(sent).toEqual(['x', 'y']);
  });

  it('defaults to a 16 ms window and 64 KB messages', () => {
    expect([batchWindowMs, batchMaxChars]).toEqual([16, 65_536]);
  });
});
