// Run by crash-safety.test.ts as a separate process, so it can be killed with SIGKILL mid-batch.
import { ingestSpool } from '../../../main/history/ingest.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb } from '../../../main/history/store.ts';

const dataDir = process.argv[2]!;
const db = openHistoryDb(dataDir);
process.stdout.write('ready\n');
const result = ingestSpool(db, historyPaths(dataDir), { batch: 50, quietMs: 0 });
process.stdout.write(`${JSON.stringify(result)}\n`);
