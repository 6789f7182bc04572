// The service host syncs on its own: a machine whose host watches the synced folder applies another machine's
// new segment without being asked, and tells its listeners (the app's progress) what it did.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SyncEvent } from '../../../../main/history/contract.ts';
import { createHistoryService } from '../../../../main/history/service.ts';
import { startAutoSync } from '../../../../main/history/sync/auto-sync.ts';
import { syncLock } from '../../../../main/history/sync/handlers.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { join, setUp, testHost } from './hosts.ts';

describe('automatic sync in the service host', () => {
  it('applies segments arriving in the watched folder, with progress events', async () => {
    const root = tempDir('lanyard-sync-auto-');
    const target = { kind: 'folder' as const, dir: path.join(root, 'Sync') };
    const a = testHost(root, 'laptop');
    const b = testHost(root, 'desktop');
    a.run('first');
    const words = await setUp(a, target);
    await join(b, target, words);
    const service = createHistoryService(b.dataDir);
    // Long debounce for new runs and period: only the folder watch can make this sync happen in time.
    const auto = startAutoSync(service, process.env, syncLock(), { afterRunsMs: 60_000, afterFolderMs: 100, periodMs: 3_600_000 });
    const events: SyncEvent[] = [];
    const applied = new Promise<void>((resolve) => {
      auto.subscribe((e) => {
        events.push(e);
        if (e.type === 'done' && e.report.addedRuns === 100) resolve();
      });
    });
    try {
      for (let i = 0; i < 100; i++) a.run(`new ${i}`);
      await a.sync();
      await applied;
      expect(b.commands()).toHaveLength(101);
      expect(events.some((e) => e.type === 'progress' && e.phase === 'read')).toBe(true);
    } finally {
      auto.close();
      service.close();
    }
  });
});
