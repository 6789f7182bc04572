import type { Migration } from '../../system/database.ts';

// Search at a million runs. The trigram index now holds each command lowered as search matches it (ASCII only)
// and padded by two characters, so every character starts a trigram and 1–2 character queries can use it too;
// contentless (search reads history_commands itself). history_trigram_docs counts the commands holding each
// trigram: the planner's estimate of how many commands a query can match. The recency index carries the text,
// so scanning the newest commands never visits the table.
export const migration: Migration = {
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
};
