// Segments applied under one shared transaction (engine.ts applyBatch) still apply each whole or not at all: a
// segment whose runs the database refuses midway leaves none of its runs behind, the segments before and after it
// in the same batch are applied and recorded, and it is applied whole at the next sync.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyBatch } from '../../../../main/history/sync/engine.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { join, setUp, testHost, type TestHost } from './hosts.ts';

describe('history sync: several segments per transaction', () => {
  // Batching is for large syncs; these few runs are batched too.
  const from = applyBatch.from;
  afterEach(() => {
    applyBatch.from = from;
  });
  it('a segment refused midway is rolled back to its savepoint; its neighbours in the batch stay; it applies whole later', async () => {
    const root = tempDir('lanyard-sync-batch-');
    const target = { kind: 'folder' as const, dir: path.join(root, 'Sync') };
    const [a, b] = ['laptop', 'desktop'].map((n) => testHost(root, n)) as [TestHost, TestHost];
    a.run('echo first');
    await join(b, target, await setUp(a, target));
    // Three segments, each written by a sync of its own; the middle one holds a run the desktop's database refuses
    // after it has taken that segment's earlier runs.
    for (const [i, words] of [
      ['one-a', 'one-b'],
      ['two-a', 'poison', 'two-c'],
      ['three-a', 'three-b'],
    ].entries()) {
      for (const w of words) a.run(`echo ${w}`);
      expect((await a.sync()).report.wroteSegments, `segment ${i + 1}`).toBe(1);
    }
    b.db.exec(`CREATE TRIGGER test_refuse BEFORE INSERT ON history_runs
      WHEN (SELECT text FROM history_commands WHERE id = new.command_id) = 'echo poison' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    applyBatch.from = 0;
    const refused = await b.sync();
    expect(refused.report.appliedSegments).toBe(2);
    expect(refused.report.problems).toEqual([
      expect.objectContaining({ kind: 'unreadable', message: expect.stringMatching(/refused by test/) }),
    ]);
    expect(b.commands()).toEqual(['echo first', 'echo one-a', 'echo one-b', 'echo three-a', 'echo three-b']);
    expect(b.db.prepare('SELECT count(*) FROM history_sync_segments').pluck().get()).toBe(2 + 1); // and the first, applied at join
    b.db.exec('DROP TRIGGER test_refuse');
    const again = await b.sync();
    expect(again.report.appliedSegments).toBe(1);
    expect(again.report.problems).toEqual([]);
    expect(b.commands()).toEqual(a.commands());
    expect(b.commands()).toHaveLength(8);
  });
});
