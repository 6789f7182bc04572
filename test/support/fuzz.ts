// Property and fuzz tests share one seed and one budget, so a CI failure replays exactly and the suite
// stays inside its time on two cores. LANYARD_FUZZ_SEED / LANYARD_FUZZ_RUNS widen a local hunt.
import fc from 'fast-check';

export const fuzzSeed = Number(process.env.LANYARD_FUZZ_SEED ?? 20261207);
export const fuzzRuns = Number(process.env.LANYARD_FUZZ_RUNS ?? 300);

/** Run a property with the shared seed; `runs` scales the shared budget for expensive properties. */
export function fuzz<Ts>(property: fc.IRawProperty<Ts>, options: { runs?: number; timeLimitMs?: number } = {}): void {
  fc.assert(property, {
    seed: fuzzSeed,
    numRuns: options.runs ?? fuzzRuns,
    // A property that takes too long is a finding, not a pass: the time limit fails the test.
    interruptAfterTimeLimit: options.timeLimitMs ?? 20_000,
    markInterruptAsFailure: true,
  });
}

/** Arbitrary bytes, biased toward the lengths parsers care about (empty, tiny, a header's worth, large). */
export function bytes(maxLength = 4096): fc.Arbitrary<Buffer> {
  return fc.uint8Array({ maxLength }).map((array) => Buffer.from(array));
}

/** Mutate a valid input: flip, cut, duplicate or splice bytes, so the fuzzer reaches past the first check. */
export function mutated(valid: Buffer): fc.Arbitrary<Buffer> {
  return fc
    .array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({
          kind: fc.constant('grow' as const),
          at: fc.nat(),
          value: fc.integer({ min: 0, max: 255 }),
          count: fc.integer({ min: 1, max: 64 }),
        }),
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((edits) => {
      let out = Buffer.from(valid);
      for (const edit of edits) {
        if (out.length === 0) break;
        const at = edit.at % out.length;
        if (edit.kind === 'flip') out[at] = edit.value;
        else if (edit.kind === 'cut') out = out.subarray(0, at);
        else out = Buffer.concat([out.subarray(0, at), Buffer.alloc(edit.count, edit.value), out.subarray(at)]);
      }
      return out;
    });
}

/**
 * Milliseconds of this thread's CPU that `work` took, the fastest of `runs` (the first pays for the JIT). CPU time,
 * not wall time: on a loaded two-core machine a linear parse can wait longer for a core than it runs, and a
 * super-linear one is slow however it is scheduled.
 */
export function cpuMs(work: () => void, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    // This thread's time only: process.cpuUsage() also counts V8's GC helper threads and any worker of the test.
    const started = process.threadCpuUsage();
    work();
    const used = process.threadCpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}
