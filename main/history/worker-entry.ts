// The history worker thread: an import, a sync, or an upgrade of an existing database's schema, on a connection of
// its own, so that their seconds of CPU (a COMMIT at a million runs, a migration rebuilding an index) never hold the
// host's thread, which serves terminals, captures and every request. WAL lets the host keep reading meanwhile.
// With task 'spool' it stays: the spool watcher's passes, one per request (spool-worker.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { ServiceError } from '../contract/errors.ts';
import type { WireError } from '../contract/wire.ts';
import { lowerThisThreadPriority } from '../system/background-thread.ts';
import { importFiles } from './import.ts';
import { ingestSpool } from './ingest.ts';
import { historyPaths } from './paths.ts';
import { scrubFreedText } from './scrub.ts';
import { spoolLimits } from './spool.ts';
import { openHistoryDb, pageCacheKib, runWriter } from './store.ts';
import { runSyncJob, type SyncJobResult } from './sync/job.ts';
import type { SpoolJob, SpoolReply, SpoolRequest, WorkerJob, WorkerReply } from './worker-thread.ts';

lowerThisThreadPriority();
const port = parentPort!;
const job = workerData as WorkerJob | SpoolJob;
const wire = (error: unknown): WireError =>
  error instanceof ServiceError ? error.toWire() : { code: 'internal', message: error instanceof Error ? error.message : String(error) };

async function runJob(job: WorkerJob): Promise<void> {
  const reply = (message: WorkerReply) => port.postMessage(message);
  const controller = new AbortController();
  port.on('message', (message: unknown) => {
    if (message === 'cancel') controller.abort();
  });
  try {
    const db = openHistoryDb(job.dataDir, undefined, pageCacheKib.import);
    let result: SyncJobResult | undefined;
    try {
      if (job.task === 'import')
        await importFiles(db, historyPaths(job.dataDir), job.files, (event) => reply({ event }), controller.signal);
      else if (job.task === 'scrub') scrubFreedText(db);
      else if (job.task === 'sync') result = await runSyncJob(db, job.dataDir, job, (event) => reply({ event }));
    } finally {
      db.close();
    }
    reply({ done: true, result });
  } catch (error) {
    reply({ error: wire(error) });
  } finally {
    port.close();
  }
}

function serveSpoolPasses(dataDir: string): void {
  const db = openHistoryDb(dataDir, undefined, pageCacheKib.spool);
  const paths = historyPaths(dataDir);
  const writer = runWriter(db);
  const reply = (message: SpoolReply) => port.postMessage(message);
  port.on('message', (message: SpoolRequest) => {
    if (message === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      reply({ result: ingestSpool(db, paths, { writer, limits: { ...spoolLimits, maxRecords: message.maxRecords } }) });
    } catch (error) {
      reply({ error: wire(error) });
    }
  });
}

if (job.task === 'spool') serveSpoolPasses(job.dataDir);
else await runJob(job);
