// The service host's V8 flags (main/system/host-heap-flags.ts), checked on a real Node child that allocates as the host
// does under a packet stream: many short-lived objects with a ring of survivors. Without the flags V8 doubles the
// young generation to 64 MB a semi-space within a second or two (RSS that never comes back); with them it stays
// at the cap.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostExecArgv, maxSemiSpaceMb } from '../../../main/system/host-heap-flags.ts';
import { tempDir } from '../../support/temp-dir.ts';

const churn = `
import v8 from 'node:v8';
const ring = new Array(50_000);
const until = performance.now() + 1500;
let i = 0;
while (performance.now() < until) for (let j = 0; j < 10_000; j++, i++) ring[i % ring.length] = { i, s: 'packet ' + i, b: Buffer.allocUnsafe(64) };
process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));
`;

function youngGenerationMb(execArgv: readonly string[]): number {
  const script = path.join(tempDir(), 'churn.mjs');
  writeFileSync(script, churn);
  return Number(execFileSync(process.execPath, [...execArgv, script], { encoding: 'utf8' })) / 1024 / 1024;
}

describe('the host heap flags', () => {
  it('keep the young generation at its cap under allocation churn', () => {
    // Both semi-spaces; V8 counts new space as two of them.
    expect(youngGenerationMb(hostExecArgv)).toBeLessThanOrEqual(2 * maxSemiSpaceMb);
  });

  it('are what bounds it: the same churn without them grows far past the cap', () => {
    expect(youngGenerationMb([])).toBeGreaterThan(4 * maxSemiSpaceMb);
  });
});
