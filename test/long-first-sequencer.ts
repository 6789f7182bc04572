// Vitest's order in a fresh clone (no timing cache) is larger files first and the unit project after the peers
// project, so a small file that runs long on the CPU starts last and becomes the run's tail with one core idle
// (regex-linear: ~30 s at the end of a ~500 s run). Such files go first instead, beside peer tests that wait.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that spend tens of seconds on the CPU, by path from the repository root. */
const longOnCpu = ['test/unit/hardening/regex-linear.test.ts'];

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => (longOnCpu.some((p) => f.moduleId.endsWith(`/${p}`)) ? 0 : 1);
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
