import type { Migration } from '../../system/database.ts';

// Distinct command texts (with run counters) + one row per run. The trigram index covers the distinct texts
// only: ~5× fewer rows than runs, and most searches want one row per command anyway. Inserts keep the index
// and counters up to date in store.ts (5× faster than AFTER INSERT triggers here); deletes, rare, use triggers.
export const migration: Migration = {
  id: 'history.1',
  sql: `
      CREATE TABLE history_commands (
        id INTEGER PRIMARY KEY,
        text TEXT NOT NULL UNIQUE,
        runs INTEGER NOT NULL DEFAULT 0,
        last_at INTEGER NOT NULL DEFAULT 0,
        last_run INTEGER
      );
      CREATE INDEX history_commands_last ON history_commands (last_at);
      CREATE TABLE history_runs (
        id INTEGER PRIMARY KEY,
        command_id INTEGER NOT NULL REFERENCES history_commands (id),
        started_at INTEGER NOT NULL,
        duration_ms INTEGER,
        exit INTEGER,
        cwd TEXT,
        session TEXT,
        host TEXT,
        user TEXT,
        shell TEXT,
        source TEXT NOT NULL,
        dedupe TEXT UNIQUE
      );
      CREATE INDEX history_runs_started ON history_runs (started_at);
      CREATE INDEX history_runs_command ON history_runs (command_id, started_at);
      CREATE INDEX history_runs_session ON history_runs (session, started_at);
      -- detail=none: no positions. Search only asks which commands hold some trigrams and checks the text itself,
      -- so positions would only make the index bigger and its doclists slower to intersect.
      CREATE VIRTUAL TABLE history_fts USING fts5 (text, content = 'history_commands', content_rowid = 'id', tokenize = 'trigram', detail = 'none');
      CREATE TRIGGER history_commands_ad AFTER DELETE ON history_commands BEGIN
        INSERT INTO history_fts (history_fts, rowid, text) VALUES ('delete', old.id, old.text);
      END;
      CREATE TRIGGER history_runs_ad AFTER DELETE ON history_runs BEGIN
        UPDATE history_commands SET
          runs = runs - 1,
          last_run = (SELECT id FROM history_runs WHERE command_id = old.command_id ORDER BY started_at DESC, id DESC LIMIT 1),
          last_at = coalesce((SELECT max(started_at) FROM history_runs WHERE command_id = old.command_id), 0)
        WHERE id = old.command_id;
        DELETE FROM history_commands WHERE id = old.command_id AND runs = 0;
      END;
    `,
};
