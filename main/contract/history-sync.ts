// History sync's part of History's contract (main/history/sync/): kept apart so it moves with the tool folder.
import { z } from 'zod';

export const syncTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), dir: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('git'), url: z.string().min(1) }).strict(),
]);

export const syncProblem = z.object({
  hostId: z.string(),
  segment: z.string(),
  kind: z.enum(['wrong-key', 'damaged', 'unreadable']),
  message: z.string(),
});

export const syncHost = z.object({
  hostId: z.string(),
  name: z.string().nullable(),
  self: z.boolean(),
  /** The last record's seq from it, and that record's time (its clock). */
  lastSeq: z.number(),
  lastRecordAt: z.number().nullable(),
  /** When its last segment reached this machine (this machine's clock). */
  lastContact: z.number().nullable(),
  bytes: z.number(),
  records: z.number(),
  /** This machine's records not yet written to a segment (0 for the others). */
  unsent: z.number(),
});

export const syncStatus = z.object({
  setUp: z.boolean(),
  target: z.object({ kind: z.enum(['folder', 'git']), location: z.string() }).nullable(),
  hostId: z.string().nullable(),
  hosts: z.array(syncHost),
  lastSync: z.number().nullable(),
  lastError: z.string().nullable(),
  problems: z.array(syncProblem),
  /** The key as 24 words, when asked for, and as a QR code: an SVG path of unit squares in a size × size box. */
  words: z.array(z.string()).nullable(),
  qr: z.object({ size: z.number(), path: z.string() }).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatus>;

export const syncReport = z.object({
  wroteSegments: z.number(),
  wroteRecords: z.number(),
  wroteBytes: z.number(),
  appliedSegments: z.number(),
  addedRuns: z.number(),
  appliedTombstones: z.number(),
  problems: z.array(syncProblem),
});

export const syncEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), phase: z.enum(['write', 'read']), done: z.number(), total: z.number() }),
  z.object({ type: z.literal('done'), report: syncReport, status: syncStatus, words: z.array(z.string()).nullable() }),
]);
export type SyncEvent = z.infer<typeof syncEvent>;

export const historySyncMethods = {
  'history.syncStatus': {
    summary: 'Sync: the target, every machine with its last record and contact, problems; the key as words when asked.',
    params: z.object({ withKey: z.boolean().default(false) }).strict(),
    result: syncStatus,
  },
  'history.syncLeave': {
    summary: 'Stop syncing on this machine: its key and settings are removed; its history stays.',
    params: z.object({}).strict(),
    result: syncStatus,
  },
} as const;

export const historySyncStreams = {
  'history.syncSetup': {
    summary: 'Start syncing history through a folder or a git remote with a new key (shown as words once done).',
    params: z.object({ target: syncTarget, name: z.string().min(1).max(200).optional() }).strict(),
    event: syncEvent,
  },
  'history.syncJoin': {
    summary: 'Join the sync in a folder or git remote with the key words from a machine already syncing.',
    params: z.object({ target: syncTarget, words: z.string().max(4096), name: z.string().min(1).max(200).optional() }).strict(),
    event: syncEvent,
  },
  'history.syncEvents': {
    summary: 'Progress and results of the syncs the service host runs on its own (after new runs, when the folder changes).',
    params: z.object({}).strict(),
    event: syncEvent,
  },
  'history.syncNow': {
    summary: 'Sync now: write this machine’s new records, apply the other machines’.',
    params: z.object({}).strict(),
    event: syncEvent,
  },
} as const;
