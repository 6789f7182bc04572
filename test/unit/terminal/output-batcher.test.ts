import { describe, expect, it } from 'vitest';
import { batchMaxChars, batchWindowMs, createOutputBatcher, quietAfterMs } from '../../../main/terminal/output-batcher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('terminal output batching', () => {
  it('sends output after a quiet spell at once, and holds what follows it for the window', async () => {
    const sent: string[] = [];
    // Never quiet again after the first message: the timing of this test does not matter.
    const batcher = createOutputBatcher((data) => sent.push(data), { windowMs: 20, maxChars: 1000, quietMs: 3_600_000 });
    batcher.push('a');
    // A keystroke's echo is not held back.
    expect(sent).toEqual(['a']);
    batcher.push('b');
    batcher.push('c');
    expect(sent).toEqual(['a']);
    await sleep(60);
    expect(sent).toEqual(['a', 'bc']);
    // Soon after a message (a stream in full flow), the next output waits for the window, joined with what follows.
    batcher.push('d');
    batcher.push('e');
    expect(sent).toEqual(['a', 'bc']);
    await sleep(60);
    expect(sent).toEqual(['a', 'bc', 'de']);
    batcher.dispose();
  });

  it('after a quiet spell, sends at once again', async () => {
    const sent: string[] = [];
    const batcher = createOutputBatcher((data) => sent.push(data), { windowMs: 10, maxChars: 1000, quietMs: 50 });
    batcher.push('a');
    await sleep(150);
    batcher.push('b');
    expect(sent).toEqual(['a', 'b']);
    batcher.dispose();
  });

  it('never sends more than the size cap in one message, and loses nothing', () => {
    const sent: string[] = [];
    const batcher = createOutputBatcher((data) => sent.push(data), { windowMs: 60_000, maxChars: 10, quietMs: 0 });
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
    const batcher = createOutputBatcher((data) => sent.push(data), { windowMs: 30, maxChars: 1000, quietMs: 0 });
    batcher.push('x');
    batcher.push('y');
    batcher.flush();
    expect(sent).toEqual(['x', 'y']);
    batcher.push('z');
    batcher.dispose();
    await sleep(100);
    expect(sent).toEqual(['x', 'y']);
  });

  it('defaults to a 16 ms window, 64 KB messages and 100 ms of quiet', () => {
    expect([batchWindowMs, batchMaxChars, quietAfterMs]).toEqual([16, 65_536, 100]);
  });
});
