// The host's side of the history worker thread (worker-entry.ts): starts it on a job, forwards its events, passes
// a cancel on, and settles with its result when it is done.
import { entryScript } from '../system/entry-script.ts';
import { Worker } from 'node:worker_threads';
import { ServiceError } from '../contract/errors.ts';
import type { ImportEvent } from './contract.ts';
import type { WireError } from '../contract/wire.ts';
import type { ImportFiles } from './import.ts';
import type { IngestResult } from './ingest.ts';
import type { SyncJob, SyncJobResult } from './sync/job.ts';
import type { SyncProgress } from './sync/engine.ts';

export type WorkerJob =
  | { task: 'import'; dataDir: string; files: ImportFiles }
  | { task: 'upgrade'; dataDir: string }
  | { task: 'scrub'; dataDir: string }
  | ({ task: 'sync'; dataDir: string } & SyncJob);
/** What a job tells while it runs: an import's events, a sync's progress. */
export type WorkerEvent = ImportEvent | SyncProgress;
export type WorkerReply = { event: WorkerEvent } | { done: true; result?: SyncJobResult } | { error: WireError };
/** The long-lived spool thread (spool-worker.ts): it answers each request with one pass, until 'close'. */
export type SpoolJob = { task: 'spool'; dataDir: string };
export type SpoolRequest = { maxRecords: number } | 'close';
export type SpoolReply = { result: IngestResult } | { error: WireError };

/** The worker's script: its bundle when built, the source in tests. */
export const historyWorkerScript = () => entryScript(import.meta.url, 'history-worker.js', 'worker-entry.ts', 'the history worker');

/**
 * Run `job` on a worker thread; `emit` gets its events; resolves with its result (a sync's). An abort asks it to
 * stop at its next chunk (what is written stays).
 */
export function runOnWorker<E extends WorkerEvent = ImportEvent>(
  job: WorkerJob,
  emit: (event: E) => void = () => undefined,
  signal?: AbortSignal,
): Promise<SyncJobResult | undefined> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(historyWorkerScript(), { workerData: job, name: `history ${job.task}` });
    let settled: { error: Error } | { done: true; result?: SyncJobResult } | null = null;
    const cancel = () => worker.postMessage('cancel');
    signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (reply: WorkerReply) => {
      // The job decides which events it sends: an import's job sends import events, a sync's its progress.
      if ('event' in reply) emit(reply.event as E);
      else settled = 'error' in reply ? { error: ServiceError.fromWire(reply.error) } : reply;
    });
    worker.on('error', (error) => {
      settled ??= { error };
    });
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', cancel);
      const outcome = settled ?? { error: new Error(`the history worker stopped (exit code ${code}) before it finished`) };
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.result);
    });
  });
}
