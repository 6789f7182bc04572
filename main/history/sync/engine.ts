// One sync: fetch what others wrote (target.before), write this machine's new records as segments, apply the
// other hosts' segments not applied yet, publish (target.after). A segment is applied whole or not at all (a
// savepoint in a transaction shared by a few segments, applyBatch), only after it decrypted and parsed whole; one that fails is reported, left unapplied and tried again next time
// (an engine may still be copying it). Applying is idempotent (runs are unique by uid) and order-free: a
// tombstone wins over its run whichever arrives first, on every machine.
import type { Database } from '../../system/database.ts';
import { scrubFreedText } from '../scrub.ts';
import { runWriter, type RunRecord } from '../store.ts';
import {
  compression,
  decodeRecords,
  encodeRecords,
  type SegmentRecords,
  type SyncRun,
  type SyncSettings,
  type SyncTombstone,
} from './records.ts';
import { open, seal, SegmentError } from './seal.ts';
import type { SegmentRef, SyncTarget } from './target.ts';
import { assignMissingUids } from './uids.ts';

/** The settings that follow the user, kept outside the database (settings.ts): what to send, what came. */
export interface SettingsPort {
  /** This machine's change not sent yet, or null. */
  unsent(): SyncSettings | null;
  sent(at: number): void;
  /** Another machine's change: applied if it is newer than this machine's. */
  received(s: SyncSettings): void;
}

export interface SyncOptions {
  hostId: string;
  settings?: SettingsPort;
  hostName: string;
  key: Uint8Array;
  /** Records per segment written. */
  segmentRecords?: number;
  onProgress?: (p: SyncProgress) => void;
}

export interface SyncProgress {
  phase: 'write' | 'read';
  done: number;
  total: number;
}

export interface SyncProblem {
  hostId: string;
  segment: string;
  kind: 'wrong-key' | 'damaged' | 'unreadable';
  message: string;
}

export interface SyncReport {
  wroteSegments: number;
  wroteRecords: number;
  wroteBytes: number;
  appliedSegments: number;
  addedRuns: number;
  appliedTombstones: number;
  problems: SyncProblem[];
}

/** 10,000 records a segment: ~250 KB sealed for the bench's mix, applied in 0.3–0.9 s of one core on the history worker's thread. */
export const defaultSegmentRecords = 10_000;

/** The host row's id, created on first sight. */
export function hostRow(db: Database, hostId: string): number {
  db.prepare('INSERT OR IGNORE INTO history_sync_hosts (host_id) VALUES (?)').run(hostId);
  return db.prepare('SELECT id FROM history_sync_hosts WHERE host_id = ?').pluck().get(hostId) as number;
}

export async function syncOnce(db: Database, target: SyncTarget, o: SyncOptions): Promise<SyncReport> {
  const report: SyncReport = {
    wroteSegments: 0,
    wroteRecords: 0,
    wroteBytes: 0,
    appliedSegments: 0,
    addedRuns: 0,
    appliedTombstones: 0,
    problems: [],
  };
  await target.before();
  const listed = await target.list();
  await writeOwn(db, target, o, listed, report);
  await applyOthers(db, target, o, listed, report);
  await target.after(report.wroteSegments > 0);
  return report;
}

async function writeOwn(db: Database, target: SyncTarget, o: SyncOptions, listed: SegmentRef[], report: SyncReport): Promise<void> {
  assignMissingUids(db);
  const self = hostRow(db, o.hostId);
  db.prepare('UPDATE history_sync_hosts SET name = ? WHERE id = ?').run(o.hostName, self);
  const limit = o.segmentRecords ?? defaultSegmentRecords;
  const unsentRuns = db.prepare(`SELECT r.id, r.uid, c.text AS command, r.started_at AS startedAt, r.duration_ms AS durationMs, r.exit,
    r.cwd, r.session, r.host, r.user, r.shell, r.source FROM history_runs r JOIN history_commands c ON c.id = r.command_id
    WHERE r.origin IS NULL ORDER BY r.id LIMIT ?`);
  const unsentTombs = db.prepare('SELECT uid, kind, text, at FROM history_sync_tombstones WHERE origin IS NULL LIMIT ?');
  const markRuns = db.prepare('UPDATE history_runs SET origin = ? WHERE id IN (SELECT value FROM json_each(?))');
  const markTomb = db.prepare('UPDATE history_sync_tombstones SET origin = ? WHERE uid = ? AND origin IS NULL');
  const total =
    (db.prepare('SELECT count(*) FROM history_runs WHERE origin IS NULL').pluck().get() as number) +
    (db.prepare('SELECT count(*) FROM history_sync_tombstones WHERE origin IS NULL').pluck().get() as number);
  // A crash between writing a file and recording it leaves a file this machine does not know of: carry on after it
  // (its records are written again; their uids make that harmless).
  const onDisk = latest(listed.filter((r) => r.hostId === o.hostId).map((r) => r.seqTo));
  let done = 0;
  let settings = o.settings?.unsent() ?? null;
  for (;;) {
    // Held from choosing the records to recording them as sent: another process syncing this data folder (the CLI
    // beside the app's host) waits here, and never writes the same seq range.
    db.exec('BEGIN IMMEDIATE');
    let seqFrom: number;
    let seqTo: number;
    let sealed: Buffer;
    try {
      const rows = withinBytes(unsentRuns.all(limit) as (SyncRun & { id: number })[]);
      const tombs = unsentTombs.all(limit - rows.length) as (Omit<SyncTombstone, 'uid'> & { uid: Buffer })[];
      if (rows.length + tombs.length === 0 && !settings) {
        db.exec('COMMIT');
        break;
      }
      const last = db.prepare('SELECT last_seq FROM history_sync_hosts WHERE id = ?').pluck().get(self) as number;
      seqFrom = Math.max(last, onDisk) + 1;
      seqTo = seqFrom + rows.length + tombs.length + (settings ? 1 : 0) - 1;
      const records: SegmentRecords = { hostName: o.hostName, runs: rows.map(({ id: _id, ...run }) => run), tombstones: tombs, settings };
      sealed = seal(o.key, { compression, hostId: Buffer.from(o.hostId, 'hex'), seqFrom, seqTo }, encodeRecords(records));
      await target.write(o.hostId, seqFrom, seqTo, sealed);
      markRuns.run(self, JSON.stringify(rows.map((r) => r.id)));
      for (const t of tombs) markTomb.run(self, t.uid);
      db.prepare(`UPDATE history_sync_hosts SET last_seq = @seqTo, last_ts = max(coalesce(last_ts, 0), @lastTs), last_contact = @now,
        bytes = bytes + @bytes, records = records + @n WHERE id = @self`).run({
        seqTo,
        lastTs: latest(
          rows.map((r) => r.startedAt),
          tombs.map((t) => t.at),
          settings ? [settings.at] : [],
        ),
        now: Date.now(),
        bytes: sealed.length,
        n: seqTo - seqFrom + 1,
        self,
      });
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    if (settings) o.settings?.sent(settings.at);
    settings = null;
    report.wroteSegments++;
    report.wroteRecords += seqTo - seqFrom + 1;
    report.wroteBytes += sealed.length;
    done += seqTo - seqFrom + 1;
    o.onProgress?.({ phase: 'write', done, total });
    // Between segments, the loop this runs on (the worker's; the caller's in tests) takes its turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** In a large sync (more than `from` records to apply), segments are applied under one transaction, each in a
 * savepoint of its own (still all or none): a commit rewrites every index page the segments touched, and the random
 * keys (uid, command, session) touch pages all over the indexes, so one commit for several segments writes far fewer
 * pages than one each. Bounded by records and by the time the write lock is held, so that the host's own writes
 * (busy_timeout 5 s) wait at most ~2 s. A smaller sync commits each segment as it is applied (its progress event
 * then means its runs are searchable). Not frozen: a test lowers `from`. */
export const applyBatch = { from: 100_000, records: 100_000, holdMs: 2_000 };

async function applyOthers(db: Database, target: SyncTarget, o: SyncOptions, listed: SegmentRef[], report: SyncReport): Promise<void> {
  const applied = db.prepare(`SELECT 1 FROM history_sync_segments s JOIN history_sync_hosts h ON h.id = s.host
    WHERE h.host_id = ? AND s.seq_from = ? AND s.seq_to = ?`);
  const todo = listed
    .filter((r) => r.hostId !== o.hostId && !applied.get(r.hostId, r.seqFrom, r.seqTo))
    .sort((a, b) => a.hostId.localeCompare(b.hostId) || a.seqFrom - b.seqFrom);
  let tombstones = 0;
  const batched = todo.reduce((n, r) => n + r.seqTo - r.seqFrom + 1, 0) > applyBatch.from;
  let batch: { records: number; since: number } | null = null;
  const commit = () => {
    batch = null;
    try {
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  };
  try {
    for (const [i, ref] of todo.entries()) {
      const where = { hostId: ref.hostId, segment: ref.name };
      let records: SegmentRecords;
      try {
        const file = await target.read(ref);
        const { header, body } = open(o.key, file);
        // The header is authenticated: a segment moved to another host's folder or renamed is not that host's.
        if (header.hostId.toString('hex') !== ref.hostId || header.seqFrom !== ref.seqFrom || header.seqTo !== ref.seqTo)
          throw new SegmentError('damaged', 'its sealed host or sequence range does not match its file name');
        records = decodeRecords(body, header.compression, header.seqTo - header.seqFrom + 1);
      } catch (error) {
        const kind = error instanceof SegmentError ? error.kind : 'damaged';
        report.problems.push({ ...where, kind, message: (error as Error).message });
        continue;
      }
      if (!batch) {
        db.exec('BEGIN IMMEDIATE');
        batch = { records: 0, since: performance.now() };
      }
      let result: { added: number; tombstones: number };
      try {
        result = applySegment(db, ref, records);
      } catch (error) {
        // Rolled back whole to its savepoint; the other segments still go on. An error that ended the transaction
        // itself took the batch's earlier segments with it: they are not recorded as applied and come again next time.
        if (!db.inTransaction) throw error;
        report.problems.push({ ...where, kind: 'unreadable', message: `could not be applied: ${(error as Error).message}` });
        continue;
      }
      if (records.settings) o.settings?.received(records.settings);
      report.appliedSegments++;
      report.addedRuns += result.added;
      tombstones += result.tombstones;
      batch.records += ref.seqTo - ref.seqFrom + 1;
      if (!batched || batch.records >= applyBatch.records || performance.now() - batch.since >= applyBatch.holdMs) commit();
      o.onProgress?.({ phase: 'read', done: i + 1, total: todo.length });
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (batch) commit();
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
  report.appliedTombstones = tombstones;
  // Deleted or redacted text must not linger in the index's free pages or the WAL.
  if (tombstones > 0) scrubFreedText(db);
}

/** Text a segment carries at most: JSON-escaped (6× at worst) it stays under a reader's cap (`maxBodyBytes`); long commands make a segment of fewer runs. */
export const segmentTextBytes = 6 * 1024 * 1024;

function withinBytes<T extends SyncRun>(rows: T[]): T[] {
  let bytes = 0;
  for (const [i, r] of rows.entries()) {
    bytes += r.command.length + (r.cwd?.length ?? 0) + (r.session?.length ?? 0) + 64;
    if (bytes > segmentTextBytes && i > 0) return rows.slice(0, i);
  }
  return rows;
}

/** The latest of some timestamps (0 for none), without spreading a segment's worth of arguments. */
function latest(...lists: number[][]): number {
  let max = 0;
  for (const list of lists) for (const v of list) if (v > max) max = v;
  return max;
}

/** One segment's records, all or none: its own transaction, or a savepoint inside the caller's. */
export function applySegment(db: Database, ref: SegmentRef, records: SegmentRecords): { added: number; tombstones: number } {
  const writer = runWriter(db);
  const findTomb = db.prepare('SELECT kind, text FROM history_sync_tombstones WHERE uid = ?');
  const putTomb = db.prepare('INSERT OR REPLACE INTO history_sync_tombstones (uid, kind, text, at, origin) VALUES (?, ?, ?, ?, ?)');
  const findRun = db.prepare(`SELECT r.started_at AS startedAt, r.duration_ms AS durationMs, r.exit, r.cwd, r.session, r.host, r.user,
    r.shell, r.source, r.origin, c.text FROM history_runs r JOIN history_commands c ON c.id = r.command_id WHERE r.uid = ?`);
  const dropRun = db.prepare('DELETE FROM history_runs WHERE uid = ?');
  let added = 0;
  let tombstones = 0;
  const apply = db.transaction(() => {
    const host = hostRow(db, ref.hostId);
    // Deletions first, then redactions, then runs: a run arriving with (or after) its tombstone obeys it.
    const ordered = [...records.tombstones].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'delete' ? -1 : 1));
    for (const t of ordered) {
      const existing = findTomb.get(t.uid) as { kind: string; text: string | null } | undefined;
      if (existing?.kind === 'delete') continue;
      if (t.kind === 'delete') dropRun.run(t.uid);
      else {
        const run = findRun.get(t.uid) as (Omit<RunRecord, 'command' | 'dedupe'> & { text: string; origin: number | null }) | undefined;
        if (run && run.text !== t.text) {
          dropRun.run(t.uid);
          const { text: _old, origin, ...rest } = run;
          writer.write([{ ...rest, command: t.text!, dedupe: null, uid: t.uid, origin: origin ?? host }]);
        }
      }
      // After the change: the local triggers recorded it as this machine's own; it is the other host's.
      putTomb.run(t.uid, t.kind, t.text, t.at, host);
      tombstones++;
    }
    const runs: RunRecord[] = [];
    for (const r of records.runs) {
      const t = findTomb.get(r.uid) as { kind: string; text: string | null } | undefined;
      if (t?.kind === 'delete') continue;
      runs.push({ ...r, command: t?.kind === 'redact' ? t.text! : r.command, dedupe: null, uid: r.uid, origin: host });
    }
    added = writer.write(runs);
    const lastTs = latest(
      records.runs.map((r) => r.startedAt),
      records.tombstones.map((t) => t.at),
    );
    db.prepare(`UPDATE history_sync_hosts SET name = @name, last_seq = max(last_seq, @seqTo), last_ts = max(coalesce(last_ts, 0), @lastTs),
      last_contact = max(coalesce(last_contact, 0), @arrived), bytes = bytes + @bytes, records = records + @n WHERE id = @host`).run({
      name: records.hostName,
      seqTo: ref.seqTo,
      lastTs,
      arrived: ref.arrivedAt,
      bytes: ref.bytes,
      n: ref.seqTo - ref.seqFrom + 1,
      host,
    });
    db.prepare('INSERT INTO history_sync_segments (host, seq_from, seq_to, bytes, applied_at) VALUES (?, ?, ?, ?, ?)').run(
      host,
      ref.seqFrom,
      ref.seqTo,
      ref.bytes,
      Date.now(),
    );
  });
  // Pages freed by a deletion or redaction are zeroed, not just unlinked.
  db.pragma('secure_delete = ON');
  try {
    apply.immediate();
  } finally {
    db.pragma('secure_delete = OFF');
  }
  return { added, tombstones };
}
