// The run writer moves a command's counters once per batch, not once per run: whatever the batch (repeated
// commands, runs out of time order, equal start times, runs already stored), every command's run count, last
// start and last run must equal what the runs themselves say, as one update per run would have left them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openHistoryDb, type RunRecord, runWriter } from '../../../main/history/store.ts';
import { fuzz } from '../../support/fuzz.ts';
import { tempDir } from '../../support/temp-dir.ts';

const run = (command: string, startedAt: number, dedupe: string | null): RunRecord => ({
  command,
  startedAt,
  durationMs: 1,
  exit: 0,
  cwd: null,
  session: null,
  host: null,
  user: null,
  shell: null,
  source: 'test',
  dedupe,
});

const arbitraryRun = fc
  .tuple(fc.constantFrom('ls', 'git status', 'make', 'vim a'), fc.integer({ min: 0, max: 20 }), fc.option(fc.integer({ min: 0, max: 30 })))
  .map(([command, at, key]) => run(command, at, key === null ? null : `k${key}`));

describe('run writer counters', () => {
  it('equal what the stored runs say, batch after batch', () => {
    const db = openHistoryDb(tempDir());
    const writer = runWriter(db);
    fuzz(
      fc.property(fc.array(fc.array(arbitraryRun, { maxLength: 40 }), { maxLength: 4 }), (batches) => {
        db.exec('DELETE FROM history_runs');
        for (const batch of batches) writer.write(batch);
        const wrong = db
          .prepare(`SELECT c.text, c.runs, c.last_at, c.last_run,
              (SELECT count(*) FROM history_runs r WHERE r.command_id = c.id) AS n,
              (SELECT coalesce(max(started_at), 0) FROM history_runs r WHERE r.command_id = c.id) AS at,
              (SELECT id FROM history_runs r WHERE r.command_id = c.id ORDER BY started_at DESC, id DESC LIMIT 1) AS latest
            FROM history_commands c WHERE c.runs <> n OR c.last_at <> at OR c.last_run IS NOT latest`)
          .all();
        expect(wrong).toEqual([]);
      }),
      { runs: 100 },
    );
  });

  it('a batch rolled back leaves none of its trigram counts to the next commit of the same writer', () => {
    const db = openHistoryDb(tempDir());
    const writer = runWriter(db);
    const docs = () => Object.fromEntries(db.prepare('SELECT gram, docs FROM history_trigram_docs').raw().all() as [string, number][]);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON history_runs WHEN NEW.source = 'refused' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    expect(() => writer.write([run('zzqx unique words', 1, null), { ...run('ls', 2, null), source: 'refused' }])).toThrow('refused');
    db.exec('DROP TRIGGER refuse');
    writer.write([run('ls', 3, null)]);
    // What a fresh writer on a fresh database leaves for the same committed run.
    const fresh = openHistoryDb(tempDir());
    runWriter(fresh).write([run('ls', 3, null)]);
    expect(docs()).toEqual(
      Object.fromEntries(fresh.prepare('SELECT gram, docs FROM history_trigram_docs').raw().all() as [string, number][]),
    );
    expect(docs()).not.toHaveProperty('zzq');
    db.close();
    fresh.close();
  });
});
