// Moves records from the spool into the database. A record leaves the spool only after its commit:
// a file is first claimed (renamed, so the shell starts a fresh one), read and written in batches whose keys
// make a re-read harmless, and deleted only once it is all committed and has been quiet long enough that no
// shell can still be writing to it through a descriptor opened before the rename.
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../system/database.ts';
import { ensurePrivateDir } from '../system/data-dir.ts';
import type { HistoryPaths } from './paths.ts';
import { readSettings } from './settings.ts';
import { sweepScratch } from './scratch-sweep.ts';
import { secretFilter, type SecretFilter } from './secrets.ts';
import { clockToMs, parseSpool, spoolLimits, type SpoolLimits, type SpoolRecord } from './spool.ts';
import { runWriter, type RunRecord, type RunWriter } from './store.ts';

export interface IngestOptions {
  /** Records per transaction. */
  batch?: number;
  /** A claimed file untouched this long can no longer be written to. */
  quietMs?: number;
  now?: () => number;
  /** Bounds on records: their size, and how many one pass writes (the rest wait for the next pass). */
  limits?: SpoolLimits;
  /** A writer on `db` kept across passes (the spool worker's): its statements are prepared once, not per pass. */
  writer?: RunWriter;
}

export interface IngestResult {
  added: number;
  problems: string[];
  /** Claimed files kept because a shell may still append to them: ingest again after quietMs. */
  pending: number;
  /** Records dropped: over the size bound, or written by an older hook. */
  dropped: number;
  /** This pass wrote its bound of records and more are waiting: ingest again soon. */
  more: boolean;
}

/** A pass that could not run now (another writer holds the database): nothing added, the spool left for later. */
export const notNow = (): IngestResult => ({ added: 0, problems: [], pending: 1, dropped: 0, more: false });

/** A claimed file read part way is renamed `<stem>+<offset>.claimed`: the next pass starts there. */
function progressOf(name: string): { stem: string; from: number } {
  const base = name.slice(0, -'.claimed'.length);
  const plus = base.lastIndexOf('+');
  const from = plus < 0 ? NaN : Number(base.slice(plus + 1));
  return Number.isInteger(from) && from >= 0 ? { stem: base.slice(0, plus), from } : { stem: base, from: 0 };
}

export function ingestSpool(db: Database, paths: HistoryPaths, options: IngestOptions = {}): IngestResult {
  const batch = options.batch ?? 1000;
  const quietMs = options.quietMs ?? 2000;
  const now = options.now ?? Date.now;
  // An import holds a transaction open across turns of the event loop (import.ts); records written into it
  // would be lost with it if it failed, after their spool file was gone. Come back once it has committed.
  const limits = options.limits ?? spoolLimits;
  if (db.inTransaction) return notNow();
  ensurePrivateDir(paths.spool);
  const secrets = secretFilter(readSettings(paths));
  const writer = options.writer ?? runWriter(db);
  const result: IngestResult = { added: 0, problems: [], pending: 0, dropped: 0, more: false };
  let budget = limits.maxRecords;

  const names = readdirSync(paths.spool);
  sweepScratch(paths.spool, names);
  for (const name of names) {
    if (!name.endsWith('.spool')) continue;
    const claimed = `${name.slice(0, -'.spool'.length)}.${now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.claimed`;
    try {
      renameSync(path.join(paths.spool, name), path.join(paths.spool, claimed));
    } catch (error) {
      // Another ingester claimed it first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  for (const name of readdirSync(paths.spool)
    .filter((n) => n.endsWith('.claimed'))
    .sort()) {
    if (budget === 0) {
      result.pending++;
      result.more = true;
      continue;
    }
    const file = path.join(paths.spool, name);
    let data: Buffer;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
      data = readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // another ingester finished it
      throw error;
    }
    const { stem, from } = progressOf(name);
    const parsed = parseSpool(data, { ...limits, maxRecords: budget }, from);
    budget -= parsed.records.length;
    result.dropped += parsed.dropped;
    result.problems.push(...parsed.problems.map((p) => `${name}: ${p}`));
    const runs = parsed.records.flatMap((r) => toRun(r, `${stem}.claimed`, mtimeMs, secrets));
    for (let i = 0; i < runs.length; i += batch) result.added += writer.write(runs.slice(i, i + batch));
    if (budget === 0 && parsed.complete < data.length) {
      // Committed up to `complete`: the next pass reads on from there (a crash before this rename re-reads, harmlessly).
      renameSync(file, path.join(paths.spool, `${stem}+${parsed.complete}.claimed`));
      result.pending++;
      result.more = true;
      continue;
    }
    const quiet = now() - mtimeMs >= quietMs;
    if (!quiet) {
      // Committed up to `complete`: the next pass (the watcher's come every 500 ms while shells append) reads on
      // from there, rather than writing these records again and spending its record bound on them.
      if (parsed.complete > from) renameSync(file, path.join(paths.spool, `${stem}+${parsed.complete}.claimed`));
      result.pending++;
      continue;
    }
    if (parsed.complete < data.length)
      result.problems.push(`${name}: dropped an unfinished record of ${data.length - parsed.complete} bytes (its shell stopped mid-write)`);
    // Deleted only if nothing was appended since it was read.
    const after = statSync(file, { throwIfNoEntry: false });
    if (after && after.size === data.length && after.mtimeMs === mtimeMs) unlinkSync(file);
    else result.pending++;
  }
  return result;
}

function toRun(r: SpoolRecord, file: string, fileTime: number, secrets: SecretFilter): RunRecord[] {
  let cut = r.command.length;
  while (cut > 0 && r.command[cut - 1] === '\n') cut--;
  const typed = r.command.slice(0, cut);
  if (typed.trim() === '' || typed.startsWith(' ')) return [];
  const command = secrets.apply(typed);
  if (command === null) return [];
  const start = clockToMs(r.start);
  const end = clockToMs(r.end);
  const exit = /^-?\d+$/.test(r.exit) ? Number(r.exit) : null;
  return [
    {
      command,
      startedAt: start ?? end ?? fileTime,
      durationMs: start !== null && end !== null ? Math.max(0, end - start) : null,
      exit,
      cwd: r.cwd || null,
      session: r.session || null,
      host: r.host || null,
      user: r.user || null,
      shell: r.shell || null,
      source: 'hook',
      dedupe: dedupeKey(r, file),
    },
  ];
}

/**
 * What makes a record the same one when it is read again. bash's entry number with the command: its hook writes
 * again (at no cost to the shell) an entry it cannot tell apart without reading it back, as after `set -o history`.
 * A start in microseconds is unique within a session; a coarser one (fish) is not, but the record's place in its
 * claimed file is.
 */
function dedupeKey(r: SpoolRecord, file: string): string {
  if (r.entry !== null) return `h:${r.session}:#${r.entry}:{cmd}`;
  return /[.,]\d{6}/.test(r.start) ? `h:${r.session}:${r.start}` : `h:${file}:${r.offset}`;
}
