// `history redact`: runs the secret filter over commands stored before it caught them (or before a new pattern).
// A command whose text changes keeps its id and runs (its trigrams swapped by hand, as store.ts adds them), or
// joins the command that already has the redacted text; in drop mode it goes with its runs. Work is done in
// short transactions between turns of the event loop, and ends like purge: freed pages overwritten, the index
// merged without the old texts, the WAL emptied, so the secret is left nowhere in the files.
import type { RedactEvent } from './contract.ts';
import type { Database } from '../system/database.ts';
import type { SecretAction, SecretFilter } from './secrets.ts';
import { indexedText, trigramsOf } from './search/trigrams.ts';

/** Work per transaction: the host's loop is given back after this long (a single huge command can exceed it). */
const sliceMs = 30;
/** Commands read per query; a slice may take several pages. */
const page = 500;

export async function redactHistory(
  db: Database,
  secrets: SecretFilter,
  action: SecretAction,
  emit: (e: RedactEvent) => void,
  signal: AbortSignal | undefined,
  /** Rebuilds the index and empties the WAL once texts changed (on the worker thread: see scrub.ts). */
  scrub: () => Promise<void>,
): Promise<void> {
  const total = db.prepare('SELECT count(*) FROM history_commands').pluck().get() as number;
  const next = db.prepare('SELECT id, text, runs FROM history_commands WHERE id > ? ORDER BY id LIMIT ?');
  const change = commandChanger(db);
  let after = 0;
  let done = 0;
  let commands = 0;
  let runs = 0;
  // Every page a change frees or rewrites is zeroed, not just unlinked (the secret would stay in it).
  db.pragma('secure_delete = ON');
  try {
    for (;;) {
      const started = performance.now();
      let finished = false;
      db.transaction(() => {
        while (performance.now() - started < sliceMs) {
          const rows = next.all(after, page) as { id: number; text: string; runs: number }[];
          if (rows.length === 0) {
            finished = true;
            return;
          }
          for (const row of rows) {
            after = row.id;
            done++;
            const kept = action === 'drop' ? (secrets.holds(row.text) ? null : row.text) : secrets.redact(row.text);
            if (kept !== row.text) {
              commands++;
              runs += row.runs;
              if (kept === null) change.drop(row.id);
              else change.retext(row.id, row.text, kept);
            }
            if (performance.now() - started >= sliceMs) return;
          }
        }
      }).immediate();
      emit({ type: 'progress', done: Math.min(done, total), total });
      if (finished || signal?.aborted) break;
      await turn(0);
    }
  } finally {
    db.pragma('secure_delete = OFF');
    if (commands > 0) await scrub();
  }
  emit({ type: 'done', action, scanned: done, commands, runs });
}

const turn = (ms: number) => new Promise((resolve) => (ms === 0 ? setImmediate(resolve) : setTimeout(resolve, ms)));

/** The statements that change one command, prepared once. */
function commandChanger(db: Database) {
  const findCommand = db.prepare('SELECT id FROM history_commands WHERE text = ?').pluck();
  const dropRuns = db.prepare('DELETE FROM history_runs WHERE command_id = ?');
  // Normally gone with its last run (trigger history_runs_ad); one without runs goes here, its index with it.
  const dropCommand = db.prepare('DELETE FROM history_commands WHERE id = ?');
  const setText = db.prepare('UPDATE history_commands SET text = ? WHERE id = ?');
  const unindex = db.prepare('DELETE FROM history_trigrams WHERE rowid = ?');
  const index = db.prepare('INSERT INTO history_trigrams (rowid, text) VALUES (?, ?)');
  const subDocs = db.prepare('UPDATE history_trigram_docs SET docs = docs - 1 WHERE gram IN (SELECT value FROM json_each(?))');
  const addDocs = db.prepare(`INSERT INTO history_trigram_docs (gram, docs) SELECT value, 1 FROM json_each(?) WHERE true
    ON CONFLICT (gram) DO UPDATE SET docs = docs + 1`);
  const runKeys = db.prepare('SELECT id, dedupe FROM history_runs WHERE command_id = ? AND dedupe IS NOT NULL');
  // A key already taken on the target stays as it was: the run is still moved, nothing is lost.
  const rekey = db.prepare('UPDATE OR IGNORE history_runs SET dedupe = ? WHERE id = ?');
  const moveRuns = db.prepare('UPDATE history_runs SET command_id = ? WHERE command_id = ?');
  const recount = db.prepare(`UPDATE history_commands SET
      runs = (SELECT count(*) FROM history_runs WHERE command_id = @id),
      last_run = (SELECT id FROM history_runs WHERE command_id = @id ORDER BY started_at DESC, id DESC LIMIT 1),
      last_at = coalesce((SELECT max(started_at) FROM history_runs WHERE command_id = @id), 0)
    WHERE id = @id`);
  return {
    drop(id: number) {
      dropRuns.run(id);
      dropCommand.run(id);
    },
    retext(id: number, text: string, redacted: string) {
      const existing = findCommand.get(redacted) as number | undefined;
      if (existing === undefined) {
        unindex.run(id);
        subDocs.run(JSON.stringify(trigramsOf(indexedText(text))));
        setText.run(redacted, id);
        const indexed = indexedText(redacted);
        index.run(id, indexed);
        addDocs.run(JSON.stringify(trigramsOf(indexed)));
        return;
      }
      for (const run of runKeys.all(id) as { id: number; dedupe: string }[]) {
        const key = movedKey(run.dedupe, id, existing);
        if (key !== run.dedupe) rekey.run(key, run.id);
      }
      moveRuns.run(existing, id);
      recount.run({ id: existing });
      dropCommand.run(id);
    },
  };
}

/**
 * A run's dedupe key on another command. Keys written with `{cmd}` (store.ts) hold the command's id as one
 * `:` field: the importers' third (`bash:<when>:{cmd}:<n>`, importers/*.ts), the hook's last (`h:<session>:#<entry>:{cmd}`,
 * ingest.ts). Moved with the run, a re-import of the same file finds it instead of adding it again.
 */
export function movedKey(key: string, from: number, to: number | string): string {
  const fields = key.split(':');
  const at = ['bash', 'zsh', 'fish'].includes(fields[0]!)
    ? 2
    : fields[0] === 'h' && fields.at(-2)?.startsWith('#')
      ? fields.length - 1
      : -1;
  if (at < 0 || fields[at] !== String(from)) return key;
  fields[at] = String(to);
  return fields.join(':');
}
