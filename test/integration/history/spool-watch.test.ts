// The spool watcher under shells that never pause: passes run while the appends go on (a debounce that each
// append restarts would wait for a gap, then ingest the whole backlog in one long block of the host's thread),
// and each pass the watcher starts is bounded.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { historyPaths } from '../../../main/history/paths.ts';
import { createHistoryService, watchedPassRecords, type HistoryService } from '../../../main/history/service.ts';
import { tempDir } from '../../support/temp-dir.ts';

let service: HistoryService | null = null;
afterEach(() => service?.close());

/** One record as the zsh hook writes it (L3 framing, as the soak bench does). */
function record(n: number, cwd: string, session = 'watch-session'): string {
  const micros = Date.now() * 1000 + n;
  const clock = `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  return ['L3', session, 'zsh', 'host', 'user', clock, clock, '0', cwd, `echo steady-${n} --flag=value-${n % 97}`, '\\']
    .map((f) => `${f}\0`)
    .join('');
}

/** `count` records spread over four sessions' spool files, as four shells would leave them. */
function fillSpool(dir: string, count: number): void {
  const spool = historyPaths(dir).spool;
  mkdirSync(spool, { recursive: true, mode: 0o700 });
  const files: string[][] = [[], [], [], []];
  for (let n = 0; n < count; n++) files[n % 4]!.push(record(n, dir, `session-${n % 4}`));
  for (const [s, records] of files.entries()) appendFileSync(path.join(spool, `session-${s}.spool`), records.join(''));
}

/** This thread's CPU time in ms (not the process's: the spool worker's is its own). */
const threadCpuMs = (since?: NodeJS.CpuUsage) => {
  const used = process.threadCpuUsage(since);
  return (used.user + used.system) / 1000;
};

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

  it("runs its passes on the spool worker: the host's thread spends a fraction of what ingesting them itself costs", async () => {
    const count = 4000;
    // The same records ingested on this thread, as before the worker: what the passes would cost it.
    const here = tempDir();
    fillSpool(here, count);
    const direct = createHistoryService(here);
    const cpuAtStart = process.threadCpuUsage();
    direct.ingest();
    const directMs = threadCpuMs(cpuAtStart);
    expect(direct.db().prepare('SELECT count(*) FROM history_runs').pluck().get()).toBe(count);
    direct.close();

    const dir = tempDir();
    service = createHistoryService(dir);
    service.db(); // the schema made before the measurement, as the host has it by the time shells write
    let announced = 0;
    let passes = 0;
    const stop = service.watch((added) => {
      announced += added;
      passes++;
    });
    const spool = historyPaths(dir).spool;
    const until = async (total: number) => {
      for (let waited = 0; announced < total && waited < 60_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    };
    // A first record starts the worker (a thread's start is not what is measured).
    appendFileSync(path.join(spool, 'first.spool'), record(count, dir, 'first'));
    await until(1);
    passes = 0;
    // What four shells left while no one watched, then their last append: the watcher sees the spool change.
    fillSpool(dir, count - 1);
    const watchedAtStart = process.threadCpuUsage();
    appendFileSync(path.join(spool, 'last.spool'), record(count + 1, dir, 'last'));
    await until(count + 1);
    const watchedMs = threadCpuMs(watchedAtStart);
    stop();
    expect(announced).toBe(count + 1);
    expect(passes, 'bounded passes').toBeGreaterThanOrEqual(count / watchedPassRecords);
    // ~1/4 here (80 passes asked for and answered, this test's polling); 2.2× when the passes ran on this thread.
    expect(watchedMs, `host thread ${watchedMs.toFixed(0)} ms vs ${directMs.toFixed(0)} ms ingesting here`).toBeLessThan(directMs / 2);
    expect(service.db().prepare('SELECT count(*) FROM history_runs').pluck().get()).toBe(count + 1);
  });

  it('ends its spool thread when the last listener leaves, and a pass answered after that starts none', async () => {
    const dir = tempDir();
    service = createHistoryService(dir);
    const started: Worker[] = [];
    const onWorker = (worker: Worker) => started.push(worker);
    process.on('worker', onWorker);
    try {
      let announced = 0;
      const stop = service.watch((added) => (announced += added));
      // More than one pass's bound: the first pass answers `more`, after the listener has gone.
      fillSpool(dir, watchedPassRecords * 4);
      for (let waited = 0; announced === 0 && waited < 30_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      stop();
      expect(started.map((w) => w.threadName)).toEqual(['history spool']);
      await new Promise((resolve) => started[0]!.once('exit', resolve));
      // Time for any pass the late answer would have scheduled (its timer is 0 ms; a worker starts in ~50 ms).
      await new Promise((r) => setTimeout(r, 500));
      expect(started, 'threads started after the listener left').toHaveLength(1);
      expect(announced).toBeLessThan(watchedPassRecords * 4);
    } finally {
      process.off('worker', onWorker);
    }
  });
});
