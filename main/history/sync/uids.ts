// Runs stored before sync existed have no uid yet: given one (the same a fresh import would give) when sync is
// set up, in batches, before their first segment is written.
import type { Database } from '../../system/database.ts';
import { movedKey } from '../redact.ts';
import { runUid } from './uid.ts';

export function assignMissingUids(db: Database, batch = 20_000): number {
  const next = db.prepare(`SELECT r.id, r.dedupe, r.command_id AS commandId, c.text FROM history_runs r
    JOIN history_commands c ON c.id = r.command_id WHERE r.uid IS NULL ORDER BY r.id LIMIT ?`);
  // OR IGNORE: the same imported run stored twice (before uids) keeps one uid; the other is sent with a random one.
  const set = db.prepare('UPDATE OR IGNORE history_runs SET uid = ? WHERE id = ?');
  const setRandom = db.prepare('UPDATE history_runs SET uid = ? WHERE id = ? AND uid IS NULL');
  let done = 0;
  for (;;) {
    const rows = next.all(batch) as { id: number; dedupe: string | null; commandId: number; text: string }[];
    if (rows.length === 0) return done;
    db.transaction(() => {
      for (const r of rows) {
        // The stored key holds the command's id where the importer wrote `{cmd}`.
        const template = r.dedupe === null ? null : movedKey(r.dedupe, r.commandId, '{cmd}');
        set.run(runUid(template, r.text), r.id);
        setRandom.run(runUid(null, r.text), r.id);
      }
    }).immediate();
    done += rows.length;
  }
}
