// The spool watcher under shells that never pause: passes run while the appends go on (a debounce that each
// append restarts would wait for a gap, then ingest the whole backlog in one long block of the host's thread),
// and each pass the watcher starts is bounded.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { historyPaths } from '../../../main/history/paths.ts';
import { createHistoryService, watchedPassRecords, type HistoryService } from '../../../main/history/service.ts';
import { tempDir } from '../../support/temp-dir.ts';

let service: HistoryService | null = null;
afterEach(() => service?.close());

/** One record as the zsh hook writes it (L3 framing, as the soak bench does). */
function record(n: number, cwd: string): string {
  const micros = Date.now() * 1000 + n;
  const clock = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  return ['L3', 'watch-session', 'zsh', 'host', 'user', clock, clock, '0', cwd, `echo steady-${n}`, '\\'].map((f) => `${f}\0`).join('');
}

describe('the spool watcher', () => {
  it('ingests while a shell keeps appending every 40 ms, in bounded passes that read on from their progress', async () => {
    const dir = tempDir();
    service = createHistoryService(dir);
    const spool = historyPaths(dir).spool;
    mkdirSync(spool, { recursive: true, mode: 0o700 });
    const announced: { at: number; added: number }[] = [];
    const stop = service.watch((added) => announced.push({ at: performance.now(), added }));
    const started = performance.now();
    const busyAtStart = performance.eventLoopUtilization();
    let written = 0;
    // Three records every 40 ms for 2.4 s: never the quiet a debounce would wait for.
    while (performance.now() - started < 2400) {
      for (let i = 0; i < 3; i++) appendFileSync(path.join(spool, 'watch-session.spool'), record(written++, dir));
      await new Promise((r) => setTimeout(r, 40));
    }
    const streamEnded = performance.now();
    // Passes read on from what they committed: the watcher's passes are not the same records written over and over.
    const busy = performance.eventLoopUtilization(busyAtStart).utilization;
    expect(busy, 'share of the stream the event loop was busy').toBeLessThan(0.25); // ~0.08 here; 0.47 when each pass wrote the unsettled files' records again
    const duringStream = announced.filter((a) => a.at < streamEnded);
    expect(duringStream.length, 'passes announced while the shell was still appending').toBeGreaterThanOrEqual(2);
    expect(Math.max(...announced.map((a) => a.added))).toBeLessThanOrEqual(watchedPassRecords);
    stop();
    // Whatever is left is stored by the next explicit ingest (its file may still be settling): every record, once.
    service.ingest();
    expect(service.db().prepare('SELECT count(*) FROM history_runs').pluck().get()).toBe(written);
  });
});
