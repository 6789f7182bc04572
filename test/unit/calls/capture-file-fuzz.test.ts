// Any bytes as a capture file for Calls (`lanyard calls list` and the app's open): either calls, maybe with a
// warning that names where the file broke inside it, or a ServiceError saying the file is unreadable — never another
// throw, and never memory or time out of proportion to the file.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../../main/captures/capture-file.ts';
import { analyseFiles } from '../../../main/calls/analyse.ts';
import type { FileWarning } from '../../../main/calls/contract.ts';
import { ServiceError } from '../../../main/contract/errors.ts';
import { writeCallCapture } from '../../support/call-capture.ts';
import { bytes, fuzzRuns, fuzzSeed, mutated } from '../../support/fuzz.ts';
import { pcapFile } from '../../support/pcap-file.ts';
import { tempDir } from '../../support/temp-dir.ts';

const dir = tempDir('lanyard-calls-fuzz-');
const megabytes = 1024 * 1024;

describe('fuzz: capture files for Calls', () => {
  const pcapngFile = path.join(dir, 'valid.pcapng');
  writeCallCapture(pcapngFile, { calls: 3, rtpPackets: 2 });
  const pcapng = readFileSync(pcapngFile);
  const pcap = pcapFile(
    [...readCaptureFile(pcapngFile)].map((p) => Buffer.from(p.data)),
    1,
  );

  it('any bytes: calls and maybe a warning inside the file, or an unreadable-file error; bounded', async () => {
    let run = 0;
    const seen = { warned: 0, refused: 0, clean: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(bytes(2048), mutated(pcap), mutated(pcapng)), async (input) => {
        const file = path.join(dir, `fuzz-${run++ % 8}.cap`);
        writeFileSync(file, input);
        const warnings: FileWarning[] = [];
        const before = process.memoryUsage().arrayBuffers;
        const started = process.cpuUsage();
        try {
          const tracker = await analyseFiles([file], {}, undefined, warnings);
          expect(tracker.counters().packets).toBeLessThanOrEqual(input.length / 16);
          for (const w of warnings) {
            expect(w.byte).toBeLessThan(input.length);
            expect(w.packet).toBeGreaterThanOrEqual(2); // one packet or more was read before the break
            expect(w.text.startsWith(`${file}: stopped at byte `)).toBe(true);
          }
          seen[warnings.length ? 'warned' : 'clean']++;
        } catch (error) {
          expect(error).toBeInstanceOf(ServiceError);
          expect((error as ServiceError).message.startsWith(`${file}: `)).toBe(true);
          seen.refused++;
        }
        const cpu = process.cpuUsage(started);
        expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000); // a few kB: milliseconds; generous for a loaded CI
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * megabytes);
      }),
      { seed: fuzzSeed, numRuns: Math.min(fuzzRuns, 200), interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true },
    );
    // The mutations reach every outcome: a broken tail, a refusal, and files read whole.
    expect(seen.warned).toBeGreaterThan(5);
    expect(seen.refused).toBeGreaterThan(5);
    expect(seen.clean).toBeGreaterThan(5);
  });
});
