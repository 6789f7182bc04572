import { describe, expect, it } from 'vitest';
import { createFlowControl, highWaterChars, lowWaterChars } from '../../../main/terminal/flow-control.ts';

describe('terminal flow control', () => {
  it('pauses past 100,000 unacknowledged chars and resumes under 5,000', () => {
    const calls: string[] = [];
    const flow = createFlowControl(
      () => calls.push('pause'),
      () => calls.push('resume'),
    );
    expect([highWaterChars, lowWaterChars]).toEqual([100_000, 5_000]);
    flow.sent(60_000);
    flow.sent(40_000);
    expect(calls).toEqual([]);
    flow.sent(1);
    expect(calls).toEqual(['pause']);
    flow.sent(10_000);
    expect(calls).toEqual(['pause']);
    flow.acked(100_000);
    expect(flow.paused).toBe(true);
    flow.acked(6_001);
    expect(calls).toEqual(['pause', 'resume']);
    expect(flow.unacked).toBe(4_000);
    flow.acked(1_000_000);
    expect(flow.unacked).toBe(0);
  });
});
