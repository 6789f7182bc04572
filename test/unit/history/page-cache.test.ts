// SQLite's page cache is resident memory that fills as the database grows: the host's long-lived connection and the
// spool worker's keep small ones, and only an import's worker connection (gone when the import ends) gets the large one.
import { describe, expect, it } from 'vitest';
import { openHistoryDb, pageCacheKib } from '../../../main/history/store.ts';
import { tempDir } from '../../support/temp-dir.ts';

const cacheKib = (db: ReturnType<typeof openHistoryDb>) => -Number(db.pragma('cache_size', { simple: true }));

describe('the history page cache', () => {
  it('is at most 16 MB on the connection the host keeps, 4 MB on the spool worker, 64 MB on an import worker', () => {
    const dir = tempDir();
    const host = openHistoryDb(dir);
    const spool = openHistoryDb(dir, undefined, pageCacheKib.spool);
    const importer = openHistoryDb(dir, undefined, pageCacheKib.import);
    try {
      expect(cacheKib(host)).toBeLessThanOrEqual(16 * 1024);
      expect(cacheKib(spool)).toBeLessThanOrEqual(4 * 1024);
      expect(cacheKib(importer)).toBe(64 * 1024);
    } finally {
      host.close();
      spool.close();
      importer.close();
    }
  });
});
