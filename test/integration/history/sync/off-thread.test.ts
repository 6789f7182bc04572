// A first sync of a big history runs on the history worker thread: the host's thread, which serves every request,
// keeps answering searches and status while the segments are read, decrypted and applied, and tells how far the
// sync has got (the Sync card's progress bar, `lanyard history sync status`). Held to CPU time, not wall time: on
// a shared machine the thread may wait for a core, but it must never be the one doing a segment's work (a
// segment of 10,000 runs costs 0.3–0.5 s of CPU, which on this thread used to hold every request that long).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchQuery, type SyncEvent, type SyncStatus } from '../../../../main/history/contract.ts';
import { historyHandlers } from '../../../../main/history/handlers.ts';
import { createHistoryService } from '../../../../main/history/service.ts';
import { runWriter } from '../../../../main/history/store.ts';
import { stallProbe } from '../../../support/stall-probe.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { setUp, testHost } from './hosts.ts';

const runs = 40_000;

describe('a first sync off the host thread', () => {
  it('leaves the host answering searches and status, with progress, while it applies 40,000 runs', async () => {
    const root = tempDir('lanyard-sync-thread-');
    const target = { kind: 'folder' as const, dir: path.join(root, 'Sync') };
    const a = testHost(root, 'laptop');
    const writer = runWriter(a.db);
    const at = 1_760_000_000_000;
    writer.write(
      Array.from({ length: runs }, (_, i) => ({
        // Each segment's runs carry its number: a search tells which segments have been applied.
        command: `make target-${i % 1000} part-${Math.floor(i / 10_000)}`,
        startedAt: at + i * 1000,
        durationMs: 5,
        exit: 0,
        cwd: '/home/me',
        session: `s${Math.floor(i / 50)}`,
        host: 'laptop',
        user: 'me',
        shell: 'bash',
        source: 'hook',
        dedupe: null,
      })),
    );
    const words = await setUp(a, target);

    const dataDir = path.join(root, 'desktop');
    const service = createHistoryService(dataDir);
    const handlers = historyHandlers(service, process.env);
    const events: SyncEvent[] = [];
    const during: { searchCpuMs: number; found: number[]; status: SyncStatus }[] = [];
    const probe = stallProbe();
    try {
      await handlers.streams['history.syncJoin'](
        { target, words, name: 'desktop' },
        (e) => {
          events.push(e);
          if (e.type !== 'progress' || e.phase !== 'read') return;
          // Between two segments: the host answers at once, from what has been applied so far.
          const cpu = process.threadCpuUsage();
          const found = [0, 1, 2, 3].map(
            (part) =>
              (handlers.methods['history.search'](searchQuery.parse({ query: `part-${part}`, limit: 10 })) as { rows: unknown[] }).rows
                .length,
          );
          const used = process.threadCpuUsage(cpu);
          const status = handlers.methods['history.syncStatus']({ withKey: false }) as SyncStatus;
          during.push({ searchCpuMs: (used.user + used.system) / 1000, found, status });
        },
        new AbortController().signal,
      );
      const { longestBusyMs, longestWallMs } = probe.stop();
      console.log(
        `host thread during the sync: longest busy ${longestBusyMs.toFixed(1)} ms CPU (timer drift ${longestWallMs.toFixed(0)} ms)`,
      );

      const done = events.at(-1);
      expect(done?.type).toBe('done');
      expect(done?.type === 'done' && done.report.addedRuns).toBe(runs);
      // Four segments, each reported as it was applied, each time with status showing the sync under way.
      expect(during).toHaveLength(runs / 10_000);
      for (const [i, d] of during.entries()) {
        expect(d.status.running).toMatchObject({ phase: 'read', done: i + 1, total: runs / 10_000 });
        expect(d.found).toEqual([0, 1, 2, 3].map((part) => (part <= i ? 10 : 0)));
      }
      expect(Math.max(...during.map((d) => d.searchCpuMs))).toBeLessThan(100);
      // No stretch of the host's thread came near one segment's work.
      expect(longestBusyMs).toBeLessThan(100);
      // Over: status shows no sync running.
      expect((handlers.methods['history.syncStatus']({ withKey: false }) as SyncStatus).running).toBeNull();
    } finally {
      probe.stop();
      service.close();
    }
  }, 120_000);
});
