import { z } from 'zod';

export const shellName = z.enum(['bash', 'zsh', 'fish']);
export type ShellName = z.infer<typeof shellName>;

export const searchMode = z.enum(['substring', 'prefix', 'fuzzy']);
export type SearchMode = z.infer<typeof searchMode>;

export const exitFilter = z.union([z.enum(['ok', 'failed']), z.number().int()]);
export type ExitFilter = z.infer<typeof exitFilter>;

export const searchQuery = z
  .object({
    query: z.string().default(''),
    mode: searchMode.default('substring'),
    /** Only runs in this directory, or below it unless `below` is false. */
    cwd: z.string().min(1).optional(),
    below: z.boolean().default(true),
    host: z.string().optional(),
    session: z.string().optional(),
    shell: z.string().optional(),
    exit: exitFilter.optional(),
    /** Time range, ms since the epoch: since ≤ start < until. */
    since: z.number().optional(),
    until: z.number().optional(),
    /** `command`: one row per distinct command with its run count and last run; `run`: every run, newest first. */
    group: z.enum(['command', 'run']).default('command'),
    limit: z.number().int().min(1).max(10_000).default(100),
  })
  .strict();
export type SearchQuery = z.output<typeof searchQuery>;
export type SearchQueryInput = z.input<typeof searchQuery>;

export const historyRow = z.object({
  commandId: z.number(),
  /** The run shown: the last matching one when grouped. */
  runId: z.number(),
  command: z.string(),
  /** Matching runs of this command (1 when not grouped). */
  count: z.number(),
  startedAt: z.number(),
  durationMs: z.number().nullable(),
  exit: z.number().nullable(),
  cwd: z.string().nullable(),
  session: z.string().nullable(),
  host: z.string().nullable(),
  user: z.string().nullable(),
  shell: z.string().nullable(),
});
export type HistoryRow = z.infer<typeof historyRow>;

export const searchResult = z.object({
  rows: z.array(historyRow),
  /** More rows match than were returned. */
  more: z.boolean(),
  tookMs: z.number(),
});
export type SearchResult = z.infer<typeof searchResult>;

export const runDetail = z.object({
  run: historyRow,
  /** Runs of the same session just before and just after, oldest first. */
  before: z.array(historyRow),
  after: z.array(historyRow),
});
export type RunDetail = z.infer<typeof runDetail>;

export const historyStats = z.object({
  runs: z.number(),
  commands: z.number(),
  sessions: z.number(),
  firstAt: z.number().nullable(),
  lastAt: z.number().nullable(),
  /** Runs per local calendar day (YYYY-MM-DD) over the range. */
  perDay: z.array(z.object({ day: z.string(), runs: z.number() })),
  topCommands: z.array(z.object({ command: z.string(), runs: z.number() })),
  topPrograms: z.array(z.object({ program: z.string(), runs: z.number() })),
  busiestDirs: z.array(z.object({ cwd: z.string(), runs: z.number() })),
  /** Runs with a known exit status, and how many of them failed. */
  withExit: z.number(),
  failed: z.number(),
  dbBytes: z.number(),
});
export type HistoryStats = z.infer<typeof historyStats>;

export const hookStatus = z.object({
  shell: shellName,
  rcFile: z.string(),
  installed: z.boolean(),
  /** The shell's path, or null when it is not installed. */
  shellPath: z.string().nullable(),
});
export type HookStatus = z.infer<typeof hookStatus>;

export const historySettings = z.object({
  paused: z.boolean(),
  /** Apply the built-in secret rules (cloud keys, tokens, passwords in flags, URLs and assignments…). */
  defaultSecrets: z.boolean(),
  /** Extra regular expressions (JavaScript syntax) whose matches are secrets too. */
  extraSecrets: z.array(z.string()),
  /** What happens to a command holding a secret: kept with the secret replaced by ‹redacted›, or not stored. */
  secretAction: z.enum(['redact', 'drop']),
  /** Up in the shell walks this directory's and this session's commands first, then everything (new shells). */
  upArrow: z.boolean(),
});
export type HistorySettings = z.infer<typeof historySettings>;

export const importSource = z.enum(['bash', 'zsh', 'fish', 'atuin']);
export type ImportSource = z.infer<typeof importSource>;

export const importEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('file'), source: importSource, path: z.string(), bytes: z.number() }),
  z.object({ type: z.literal('progress'), path: z.string(), done: z.number(), total: z.number() }),
  z.object({ type: z.literal('problem'), path: z.string(), line: z.number(), message: z.string() }),
  z.object({ type: z.literal('done'), path: z.string(), source: importSource, read: z.number(), added: z.number(), skipped: z.number() }),
]);
export type ImportEvent = z.infer<typeof importEvent>;

export const redactEvent = z.discriminatedUnion('type', [
  /** Commands scanned so far, of those stored when the re-scan began. */
  z.object({ type: z.literal('progress'), done: z.number(), total: z.number() }),
  /** `commands` holding a secret were redacted (or, when `action` is drop, deleted), with their `runs`. */
  z.object({ type: z.literal('done'), action: z.enum(['redact', 'drop']), scanned: z.number(), commands: z.number(), runs: z.number() }),
]);
export type RedactEvent = z.infer<typeof redactEvent>;

const filterOnly = searchQuery.omit({ group: true, limit: true });

export const historyMethods = {
  'history.search': {
    summary: 'Find commands: substring, prefix or fuzzy, with filters; grouped by command or every run.',
    params: searchQuery,
    result: searchResult,
  },
  'history.run': {
    summary: 'One run with the commands run just before and after it in the same session.',
    params: z.object({ id: z.number().int(), neighbours: z.number().int().min(0).max(50).default(5) }).strict(),
    result: runDetail,
  },
  'history.stats': {
    summary: 'Runs per day, top commands and programs, failure rate, busiest directories.',
    params: z.object({ days: z.number().int().min(1).max(3660).default(365), top: z.number().int().min(1).max(100).default(10) }).strict(),
    result: historyStats,
  },
  'history.deleteRun': {
    summary: 'Delete one run (and its command when it was the last run of it).',
    params: z.object({ id: z.number().int() }).strict(),
    result: z.object({ deleted: z.number() }),
  },
  'history.purge': {
    summary: 'Delete every run matching a search. Without confirm it only counts them.',
    params: filterOnly.extend({ confirm: z.boolean().default(false) }).strict(),
    result: z.object({ matched: z.number(), deleted: z.number() }),
  },
  'history.ingest': {
    summary: 'Move finished records from the shell hooks’ spool into the database now.',
    params: z.object({}).strict(),
    result: z.object({ added: z.number(), problems: z.array(z.string()) }),
  },
  'history.hooks': {
    summary: 'Install status of the capture hook for bash, zsh and fish.',
    params: z.object({}).strict(),
    result: z.array(hookStatus),
  },
  'history.install': {
    summary: 'Add the capture hook to a shell’s startup file (a marked block; the file is backed up first).',
    params: z.object({ shell: shellName, classicBash: z.boolean().default(false) }).strict(),
    result: z.object({ rcFile: z.string(), changed: z.boolean(), backup: z.string().nullable() }),
  },
  'history.uninstall': {
    summary: 'Remove exactly Lanyard’s block from a shell’s startup file.',
    params: z.object({ shell: shellName }).strict(),
    result: z.object({ rcFile: z.string(), changed: z.boolean(), backup: z.string().nullable() }),
  },
  'history.settings': {
    summary: 'Pause state and secret patterns.',
    params: z.object({}).strict(),
    result: historySettings,
  },
  'history.updateSettings': {
    summary: 'Change pause state or secret patterns.',
    params: historySettings.partial().strict(),
    result: historySettings,
  },
} as const;

export const historyStreams = {
  'history.import': {
    summary: 'Import shell history files (the user’s own when none are named), reporting progress.',
    params: z
      .object({ bash: z.string().optional(), zsh: z.string().optional(), fish: z.string().optional(), atuin: z.string().optional() })
      .strict(),
    event: importEvent,
  },
  'history.redact': {
    summary: 'Re-scan stored commands with the secret rules: redact (or, per the setting, delete) those holding one.',
    params: z.object({}).strict(),
    event: redactEvent,
  },
  'history.changes': {
    summary: 'An event each time new runs reach the database from the spool.',
    params: z.object({}).strict(),
    event: z.object({ added: z.number() }),
  },
} as const;

// ---- History sync (main/history/sync/) ----

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
  /** The sync running now on this machine (a first sync of a big history takes a while), or null. */
  running: z.object({ phase: z.enum(['write', 'read']), done: z.number(), total: z.number(), since: z.number() }).nullable(),
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

/** history's requests and event streams, joined into the contract by contract/index.ts (found by folder). */
export const contract = {
  methods: { ...historyMethods, ...historySyncMethods },
  streams: { ...historyStreams, ...historySyncStreams },
} as const;

declare module '../contract/registry.ts' {
  interface ToolContracts {
    history: typeof contract;
  }
}
