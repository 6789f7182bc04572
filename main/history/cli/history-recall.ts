// `lanyard history recall` (and the picker bundle's --up-list, which the hooks start on Up): the context-aware
// Up-arrow's list for this directory and session, NUL-terminated, for the shell to walk without another process.
import { recallList } from '../recall.ts';
import { openHistoryService } from './history-direct.ts';

/** Enough for a long walk; the shell asks again when the typed prefix changes. */
const walkLength = 200;

export async function runRecall(options: { prefix: string; session: string | null; cwd: string }): Promise<number> {
  const service = await openHistoryService();
  try {
    const list = recallList((q) => service.search(q), { ...options, limit: walkLength });
    process.stdout.write(list.map((command) => `${command}\0`).join(''));
    return 0;
  } finally {
    service.close();
  }
}
