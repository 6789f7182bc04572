// history.4: runs gain a uid and an origin; this machine's deletions and redactions leave tombstones by trigger,
// and runs stored before it get the same uid an import would give them.
import { describe, expect, it } from 'vitest';
import { toolMigrations } from '../../../main/system/database.ts';

const historyMigrations = toolMigrations('history');
import { redactHistory } from '../../../main/history/redact.ts';
import { secretFilter } from '../../../main/history/secrets.ts';
import { runWriter, type RunRecord } from '../../../main/history/store.ts';
import { runUid } from '../../../main/history/sync/uid.ts';
import { assignMissingUids } from '../../../main/history/sync/uids.ts';
import { migrate, openDatabase } from '../../../main/system/database.ts';
import { tempDir } from '../../support/temp-dir.ts';

const run = (command: string, startedAt: number, dedupe: string | null): RunRecord => ({
  command,
  startedAt,
  durationMs: null,
  exit: 0,
  cwd: '/',
  session: null,
  host: 'h',
  user: 'u',
  shell: 'bash',
  source: 'bash',
  dedupe,
});

describe('history.4 (sync record log)', () => {
  it('moves a history.3 database over: old runs get the uid a fresh import would give; new ones get it on write', () => {
    const db = openDatabase(tempDir());
    migrate(db, historyMigrations.slice(0, 3));
    // history.3's write path, by hand: a command and an imported run whose key holds the command's id.
    db.prepare("INSERT INTO history_commands (id, text, runs, last_at, last_run) VALUES (7, 'make', 1, 5, 1)").run();
    db.prepare("INSERT INTO history_runs (id, command_id, started_at, source, dedupe) VALUES (1, 7, 5, 'bash', 'bash:5:7:0')").run();
    db.prepare("INSERT INTO history_runs (id, command_id, started_at, source, dedupe) VALUES (2, 7, 6, 'lanyard', NULL)").run();
    expect(migrate(db, historyMigrations)).toEqual(['history.4']);
    expect(db.prepare('SELECT count(*) FROM history_runs WHERE uid IS NULL AND origin IS NULL').pluck().get()).toBe(2);
    expect(assignMissingUids(db)).toBe(2);
    const uid = db.prepare('SELECT uid FROM history_runs WHERE id = 1').pluck().get() as Buffer;
    expect(uid.equals(runUid('bash:5:{cmd}:0', 'make'))).toBe(true);
    expect((db.prepare('SELECT uid FROM history_runs WHERE id = 2').pluck().get() as Buffer).length).toBe(16);
    // Written now: the same uid from the same key.
    runWriter(db).write([run('make', 5, 'bash:5:{cmd}:0')]);
    expect(db.prepare('SELECT count(*) FROM history_runs').pluck().get()).toBe(2);
    db.close();
  });

  it("records this machine's deletions and redactions as tombstones, a deletion winning over a redaction", async () => {
    const db = openDatabase(tempDir());
    migrate(db, historyMigrations);
    runWriter(db).write([run('curl -u bob:S3cretPw9 https://x', 1, 'a:{cmd}'), run('ls', 2, 'b:{cmd}')]);
    await redactHistory(
      db,
      secretFilter({ defaultSecrets: true, extraSecrets: [], secretAction: 'redact' }),
      'redact',
      () => undefined,
      undefined,
      async () => {},
    );
    const tomb = () => db.prepare('SELECT kind, text, origin FROM history_sync_tombstones').all();
    expect(tomb()).toEqual([{ kind: 'redact', text: expect.stringContaining('‹redacted›'), origin: null }]);
    db.prepare('DELETE FROM history_runs').run();
    expect(tomb()).toEqual(expect.arrayContaining([{ kind: 'delete', text: null, origin: null }]));
    expect(db.prepare("SELECT count(*) FROM history_sync_tombstones WHERE kind = 'delete'").pluck().get()).toBe(2);
    db.close();
  });
});
