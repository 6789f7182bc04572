// Opt-in diagnostics for the soak bench: with LANYARD_LOOP_DELAY_REPORT=1 in its environment the host samples
// its own event-loop delay, and each SIGUSR2 writes the figures since the previous one to stderr as one line
// (the marker, then JSON) and starts over. Outside the contract on purpose: no client can ask for it, and
// without the variable nothing is sampled and no handler is installed.
import { monitorEventLoopDelay, PerformanceObserver, type NodeGCPerformanceDetail } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Worker } from 'node:worker_threads';

export const loopDelayVariable = 'LANYARD_LOOP_DELAY_REPORT';
export const loopDelayMarker = 'lanyard-loop-delay ';
/** GC pauses at least this long are listed one by one. */
export const longGcMs = 50;

export interface ThreadMemory {
  /** The host's own thread is 'host'; a worker, its name (or Node's default, 'WorkerThread', and its id). */
  thread: string;
  heapUsedMb: number;
  heapTotalMb: number;
}

export interface LoopDelayReport {
  /** The longest stall seen, in ms (one sample every 10 ms, so a stall shows as up to 10 ms longer). */
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
  /** The most CPU time the host's thread spent between two 10 ms ticks: the part of a stall it spent running code
   * (the rest it waited: for a core on a busy machine, or in a system call such as an fsync). */
  busyMaxMs: number;
  /** Time in GC on the host's thread, and the pauses of `longGcMs` or more. */
  gcMs: number;
  longGc: { kind: string; ms: number }[];
  /** The process: RSS and what Node knows of its native side (Buffers and other external memory). */
  rssMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** Each thread's JavaScript heap: the host's and every worker's still running. */
  threads: ThreadMemory[];
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const gcKinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak callbacks' };

/** Does nothing unless the environment asks for the report. */
export function reportLoopDelayIfAsked(env: NodeJS.ProcessEnv): void {
  if (env[loopDelayVariable] !== '1') return;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns: number) => (histogram.count > 0 ? ns / 1e6 : 0);

  let busyMaxMs = 0;
  let cpu = process.threadCpuUsage();
  setInterval(() => {
    const used = process.threadCpuUsage(cpu);
    busyMaxMs = Math.max(busyMaxMs, (used.user + used.system) / 1000);
    cpu = process.threadCpuUsage();
  }, 10).unref();

  let gcMs = 0;
  let longGc: LoopDelayReport['longGc'] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      const kind = (entry as PerformanceEntry & { detail?: NodeGCPerformanceDetail }).detail?.kind ?? 0;
      if (entry.duration >= longGcMs) longGc.push({ kind: gcKinds[kind] ?? String(kind), ms: entry.duration });
    }
  }).observe({ entryTypes: ['gc'] });

  // Every worker the host starts (process' 'worker' event), while it runs: no tool needs to know of this report.
  const workers = new Set<Worker>();
  process.on('worker', (worker: Worker) => {
    workers.add(worker);
    worker.once('exit', () => workers.delete(worker));
  });
  const workerMemory = async (worker: Worker): Promise<ThreadMemory | null> => {
    const heap = await worker.getHeapStatistics().catch(() => null);
    const name = !worker.threadName || worker.threadName === 'WorkerThread' ? `WorkerThread ${worker.threadId}` : worker.threadName;
    return heap && { thread: name, heapUsedMb: mb(heap.used_heap_size), heapTotalMb: mb(heap.total_heap_size) };
  };

  process.on('SIGUSR2', async () => {
    const host = getHeapStatistics();
    const memory = process.memoryUsage();
    const report: LoopDelayReport = {
      maxMs: ms(histogram.max),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
      samples: histogram.count,
      busyMaxMs,
      gcMs,
      longGc,
      rssMb: mb(memory.rss),
      externalMb: mb(memory.external),
      arrayBuffersMb: mb(memory.arrayBuffers),
      threads: [
        { thread: 'host', heapUsedMb: mb(host.used_heap_size), heapTotalMb: mb(host.total_heap_size) },
        ...(await Promise.all([...workers].map(workerMemory))).filter((t) => t !== null),
      ],
    };
    histogram.reset();
    busyMaxMs = 0;
    gcMs = 0;
    longGc = [];
    process.stderr.write(`${loopDelayMarker}${JSON.stringify(report)}\n`);
  });
}
