import type { Migration } from '../../system/database.ts';

// The sync record log (sync/). Every run gets a globally unique id (`uid`, 16 bytes: a hash of its dedupe key, so
// the same imported history on two machines is the same runs, else random) and `origin`: the sync host whose
// segment brought it, NULL for this machine's runs not yet written to a segment. Deletions and redactions leave
// tombstones (by the run's uid) that travel like runs and win wherever they arrive, before or after their run.
// The triggers record this machine's own changes; applying another host's tombstone rewrites the row after them.
export const migration: Migration = {
  id: 'history.4',
  sql: `
      ALTER TABLE history_runs ADD COLUMN uid BLOB;
      ALTER TABLE history_runs ADD COLUMN origin INTEGER;
      CREATE UNIQUE INDEX history_runs_uid ON history_runs (uid) WHERE uid IS NOT NULL;
      CREATE INDEX history_runs_unsent ON history_runs (id) WHERE origin IS NULL;
      -- Runs stored before this step: given their uid when sync is first set up (sync/uids.ts).
      CREATE INDEX history_runs_no_uid ON history_runs (id) WHERE uid IS NULL;
      -- One row per machine syncing (this one too, with the seq it has written up to).
      CREATE TABLE history_sync_hosts (
        id INTEGER PRIMARY KEY,
        host_id TEXT NOT NULL UNIQUE,
        name TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_ts INTEGER,
        last_contact INTEGER,
        bytes INTEGER NOT NULL DEFAULT 0,
        records INTEGER NOT NULL DEFAULT 0
      );
      -- The segments applied: a sync reads only the files not listed here.
      CREATE TABLE history_sync_segments (
        host INTEGER NOT NULL REFERENCES history_sync_hosts (id),
        seq_from INTEGER NOT NULL,
        seq_to INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        applied_at INTEGER NOT NULL,
        PRIMARY KEY (host, seq_from, seq_to)
      ) WITHOUT ROWID;
      CREATE TABLE history_sync_tombstones (
        uid BLOB PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('delete', 'redact')),
        text TEXT,
        at INTEGER NOT NULL,
        origin INTEGER
      ) WITHOUT ROWID;
      CREATE INDEX history_sync_tombstones_unsent ON history_sync_tombstones (uid) WHERE origin IS NULL;
      CREATE TRIGGER history_runs_sync_deleted AFTER DELETE ON history_runs
      WHEN old.uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM history_sync_tombstones WHERE uid = old.uid AND kind = 'delete') BEGIN
        INSERT OR REPLACE INTO history_sync_tombstones (uid, kind, text, at, origin)
        VALUES (old.uid, 'delete', NULL, CAST(unixepoch('subsec') * 1000 AS INTEGER), NULL);
      END;
      -- A redaction moves a run to the command with the redacted text, or rewrites its command's text.
      CREATE TRIGGER history_runs_sync_moved AFTER UPDATE OF command_id ON history_runs WHEN new.uid IS NOT NULL BEGIN
        INSERT OR REPLACE INTO history_sync_tombstones (uid, kind, text, at, origin)
        VALUES (new.uid, 'redact', (SELECT text FROM history_commands WHERE id = new.command_id), CAST(unixepoch('subsec') * 1000 AS INTEGER), NULL);
      END;
      CREATE TRIGGER history_commands_sync_retext AFTER UPDATE OF text ON history_commands BEGIN
        INSERT OR REPLACE INTO history_sync_tombstones (uid, kind, text, at, origin)
        SELECT uid, 'redact', new.text, CAST(unixepoch('subsec') * 1000 AS INTEGER), NULL FROM history_runs
        WHERE command_id = new.id AND uid IS NOT NULL;
      END;
    `,
};
