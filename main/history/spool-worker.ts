// The spool passes the watcher starts, on a history worker thread of their own (worker-entry.ts, task 'spool'):
// a pass renames, reads and unlinks spool files and commits to SQLite (now and then running a WAL checkpoint),
// each a wait on the disk. Under the soak bench's load (a capture recorded at 50k pkt/s beside 100 commands/s)
// those waits held the host's thread for up to 1.6 s at a time. Explicit ingests (before a search, `history
// ingest`, a sync) stay on the caller's thread: they are what the user is waiting for, and find little left.
import { Worker } from 'node:worker_threads';
import { ServiceError } from '../contract/errors.ts';
import type { IngestResult } from './ingest.ts';
import { historyWorkerScript, type SpoolJob, type SpoolReply, type SpoolRequest } from './worker-thread.ts';

export interface SpoolWorker {
  /** One bounded pass over the spool; passes are answered in the order asked. */
  pass(maxRecords: number): Promise<IngestResult>;
  /** Ends the thread after the pass it is in (if any): a pass cut short leaves its records in the spool anyway. */
  close(): void;
}

/** The thread starts at once; `unref`'d, so it never keeps a process (the CLI's in-process host) alive. */
export function startSpoolWorker(dataDir: string): SpoolWorker {
  const job: SpoolJob = { task: 'spool', dataDir };
  const worker = new Worker(historyWorkerScript(), { workerData: job, name: 'history spool' });
  const waiting: { resolve(result: IngestResult): void; reject(error: Error): void }[] = [];
  let ended: Error | null = null;
  worker.on('message', (reply: SpoolReply) => {
    const next = waiting.shift();
    if ('error' in reply) next?.reject(ServiceError.fromWire(reply.error));
    else next?.resolve(reply.result);
  });
  worker.on('error', (error) => {
    ended ??= error;
  });
  worker.on('exit', (code) => {
    ended ??= new Error(`the history worker's spool thread stopped (exit code ${code})`);
    for (const w of waiting.splice(0)) w.reject(ended);
  });
  // After the listeners: on Node 24 adding a 'message' listener refs the thread again, and every CLI command in a
  // synced home (its auto-sync watches the spool) printed its result and never exited.
  worker.unref();
  const send = (message: SpoolRequest) => worker.postMessage(message);
  return {
    pass(maxRecords) {
      if (ended) return Promise.reject(ended);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        send({ maxRecords });
      });
    },
    close() {
      if (!ended) send('close');
    },
  };
}
