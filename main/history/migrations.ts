// History's schema steps in the shared database. Append new steps; never edit one that has shipped.
import type { Migration } from '../system/database.ts';

export const historyMigrations: readonly Migration[] = [
  {
    // Distinct command texts (with run counters) + one row per run. The trigram index covers the distinct texts
    // only: ~5× fewer rows than runs, and most searches want one row per command anyway. Inserts keep the index
    // and counters up to date in store.ts (5× faster than AFTER INSERT triggers here); deletes, rare, use triggers.
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
  },
  {
    // Search at a million runs. The trigram index now holds each command lowered as search matches it (ASCII only)
    // and padded by two characters, so every character starts a trigram and 1–2 character queries can use it too;
    // contentless (search reads history_commands itself). history_trigram_docs counts the commands holding each
    // trigram: the planner's estimate of how many commands a query can match. The recency index carries the text,
    // so scanning the newest commands never visits the table.
    id: 'history.2',
    sql: `
      DROP TRIGGER history_commands_ad;
      DROP TABLE history_fts;
      CREATE VIRTUAL TABLE history_trigrams USING fts5 (text, content = '', contentless_delete = 1, tokenize = 'trigram case_sensitive 1', detail = 'none');
      INSERT INTO history_trigrams (rowid, text) SELECT id, lower(text) || char(1, 1) FROM history_commands;
      CREATE VIRTUAL TABLE history_trigram_terms USING fts5vocab (history_trigrams, 'row');
      CREATE TABLE history_trigram_docs (gram TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO history_trigram_docs SELECT term, doc FROM history_trigram_terms;
      -- The counts are estimates: a text holding NUL is not wholly taken off them (length() stops at a NUL).
      CREATE TRIGGER history_commands_ad AFTER DELETE ON history_commands BEGIN
        DELETE FROM history_trigrams WHERE rowid = old.id;
        UPDATE history_trigram_docs SET docs = docs - 1 WHERE gram IN (
          WITH RECURSIVE at (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM at WHERE i < length(old.text))
          SELECT substr(lower(old.text) || char(1, 1), i, 3) FROM at);
      END;
      CREATE INDEX history_commands_recent ON history_commands (last_at, id, text);
      DROP INDEX history_commands_last;
      -- Search matches with LIKE, which stops at a NUL; this tells it at once whether any command holds one.
      CREATE INDEX history_commands_nul ON history_commands (id) WHERE instr(text, char(0)) > 0;
      -- Run filters that can leave few runs out of a million: failures (a small share; the index holds what search
      -- reads of them, and the id so that it runs in search's order), and a folder with those below it.
      CREATE INDEX history_runs_failed ON history_runs (started_at, id, command_id, exit) WHERE exit <> 0;
      CREATE INDEX history_runs_cwd ON history_runs (cwd, started_at) WHERE cwd IS NOT NULL;
      -- A grouped row counts its command's matching runs, thousands for a common command: with the exit and folder in
      -- the index, those filters count without reading the runs themselves.
      DROP INDEX history_runs_command;
      CREATE INDEX history_runs_command ON history_runs (command_id, started_at, exit, cwd);
    `,
  },
  {
    id: 'history.3',
    sql: `
      -- Host and shell filters. Without an index of their own, one matching few runs or none read every run; and a
      -- command's count under them read each of its runs from the table (0.1–0.5 s at a million runs).
      DROP INDEX history_runs_command;
      CREATE INDEX history_runs_command ON history_runs (command_id, started_at, exit, cwd, host, shell);
      CREATE INDEX history_runs_host ON history_runs (host, started_at);
      CREATE INDEX history_runs_shell ON history_runs (shell, started_at);
    `,
  },
];
