// `lanyard history sync …` and the app's Sync panel: set up (a new key), join (an existing key, as words), leave,
// sync now, status. The key and settings stay in the data folder; the target holds only sealed segments.
import os from 'node:os';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../contract/errors.ts';
import type { SyncStatus } from '../../history/contract.ts';
import { writeFileAtomic } from '../../system/atomic-file.ts';
import { resolveUserPath } from '../../system/home-path.ts';
import type { Database } from '../../system/database.ts';
import {
  newHostId,
  newMasterKey,
  readConfig,
  readKey,
  removeSync,
  syncPaths,
  writeSync,
  type SyncConfig,
  type TargetConfig,
} from './config.ts';
import { type SettingsPort, syncOnce, type SyncProgress, type SyncReport } from './engine.ts';
import { historyPaths } from '../paths.ts';
import { readSettings, settingsChangedAt, writeSettings } from '../settings.ts';
import { folderTarget } from './folder-target.ts';
import { readProgress } from './progress-file.ts';
import { gitTarget } from './git-target.ts';
import { qrSvgPath } from './qr.ts';
import { keyId, readHeader, SegmentError, type SegmentHeader } from './seal.ts';
import type { SyncTarget } from './target.ts';
import { keyToWords, wordsToKey, WordsError } from './words.ts';

export function openTarget(dataDir: string, target: TargetConfig, env: NodeJS.ProcessEnv = process.env): SyncTarget {
  return target.kind === 'folder' ? folderTarget(target.dir) : gitTarget(target.url, syncPaths(dataDir).clone, env);
}

function describe(target: TargetConfig): string {
  return target.kind === 'folder' ? target.dir : target.url;
}

/** The sentence a wrong key gets, wherever it is found. */
export const wrongKeySentence =
  'This sync key does not open the history in this target: type the words shown in Lanyard on a machine already syncing (History › Settings › Sync, or `lanyard history sync status --key`).';

function notSetUp(): ServiceError {
  return new ServiceError('not-found', 'History sync is not set up on this machine.', {
    hint: 'Run `lanyard history sync setup --folder DIR` (or --git URL) on the first machine, then `lanyard history sync join` on the others.',
  });
}

function loaded(dataDir: string): { config: SyncConfig; key: Buffer } {
  const paths = syncPaths(dataDir);
  const config = readConfig(paths);
  const key = readKey(paths);
  if (!config || !key) throw notSetUp();
  return { config, key };
}

/** A joining machine's folder must be there already (a typo would join nothing, with any key); a first machine's may be made. */
function checkTargetConfig(target: TargetConfig, joining: boolean, env: NodeJS.ProcessEnv): TargetConfig {
  const home = env.HOME || os.homedir();
  if (target.kind === 'folder') {
    const dir = resolveUserPath(target.dir, home);
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory())
      throw new ServiceError('invalid-argument', `${dir} is a file: give the folder your sync engine (Syncthing, Dropbox, NFS…) shares.`);
    if (!stat && joining)
      throw new ServiceError('invalid-argument', `${dir} does not exist.`, {
        hint: 'Give the folder your sync engine (Syncthing, Dropbox, NFS…) shares on this machine, once it holds the first machine’s lanyard/ folder.',
      });
    return { kind: 'folder', dir };
  }
  if (target.url.trim() === '' || target.url.startsWith('-'))
    throw new ServiceError('invalid-argument', `"${target.url}" is not a git URL.`);
  // A path (git's rule: no "://", and no "host:" before the first "/") is the user's, not relative to the clone git runs in.
  const isPath = !target.url.includes('://') && !/^[^/]*:/.test(target.url);
  return isPath ? { kind: 'git', url: resolveUserPath(target.url, home) } : target;
}

/** Refuse a second setup over an existing one: its key would be lost. */
function refuseIfSetUp(dataDir: string): void {
  if (readConfig(syncPaths(dataDir)))
    throw new ServiceError('failed', 'History sync is already set up on this machine.', {
      hint: 'Run `lanyard history sync leave` first to sync somewhere else.',
    });
}

export interface SyncRun {
  report: SyncReport;
  status: SyncStatus;
}

/** A new sync: a fresh key, this machine's first segments written. Returns the key as words. */
export async function setupSync(
  db: Database,
  dataDir: string,
  target: TargetConfig,
  env: NodeJS.ProcessEnv,
  onProgress?: (p: SyncProgress) => void,
  name = os.hostname(),
): Promise<SyncRun & { words: string[] }> {
  refuseIfSetUp(dataDir);
  const checked = checkTargetConfig(target, false, env);
  const t = openTarget(dataDir, checked, env);
  await t.before();
  if ((await t.list()).length > 0)
    throw new ServiceError('failed', `${describe(checked)} already holds synced history.`, {
      hint: 'Join it with `lanyard history sync join` and the key words from a machine already syncing.',
    });
  const key = newMasterKey();
  writeSync(syncPaths(dataDir), { hostId: newHostId(), name: name.slice(0, 200), target: checked }, key);
  const result = await syncNow(db, dataDir, env, onProgress, true);
  return { ...result, words: keyToWords(key) };
}

/** Join the sync in `target` with the key typed as words. */
export async function joinSync(
  db: Database,
  dataDir: string,
  target: TargetConfig,
  words: string,
  env: NodeJS.ProcessEnv,
  onProgress?: (p: SyncProgress) => void,
  name = os.hostname(),
): Promise<SyncRun> {
  refuseIfSetUp(dataDir);
  if (words.length > 4096) throw new ServiceError('invalid-argument', 'That is far longer than 24 key words.');
  let key: Buffer;
  try {
    key = wordsToKey(words);
  } catch (error) {
    if (error instanceof WordsError) throw new ServiceError('invalid-argument', error.message);
    throw error;
  }
  const checked = checkTargetConfig(target, true, env);
  const t = openTarget(dataDir, checked, env);
  await t.before();
  // A setup writes a segment at once, and any segment tells whose key sealed it: with none, the key cannot be
  // checked (a wrong one would seal this machine's history where the others cannot open it), so wait for one.
  const [first] = await t.list();
  if (!first)
    throw new ServiceError('failed', `${describe(checked)} holds no synced history yet.`, {
      hint: 'Run `lanyard history sync setup` with this target on the first machine; with Syncthing or Dropbox, join once its lanyard/ folder has arrived here.',
    });
  let header: SegmentHeader | undefined;
  try {
    header = readHeader(await t.read(first));
  } catch (error) {
    if (!(error instanceof SegmentError)) throw error;
  }
  if (header && !header.keyId.equals(keyId(key))) throw new ServiceError('invalid-argument', wrongKeySentence);
  writeSync(syncPaths(dataDir), { hostId: newHostId(), name: name.slice(0, 200), target: checked }, key);
  return syncNow(db, dataDir, env, onProgress);
}

/** Stop syncing: the key, settings and clone go; the history itself stays, and is all sent again on a new setup. */
export function leaveSync(db: Database, dataDir: string): void {
  removeSync(syncPaths(dataDir));
  db.transaction(() => {
    db.exec(`UPDATE history_runs SET origin = NULL WHERE origin IS NOT NULL;
      UPDATE history_sync_tombstones SET origin = NULL WHERE origin IS NOT NULL;
      DELETE FROM history_sync_segments; DELETE FROM history_sync_hosts;`);
  }).immediate();
  writeFileAtomic(lastRunFile(dataDir), '{}\n', 0o600);
}

const lastRunFile = (dataDir: string) => path.join(dataDir, 'history', 'sync-last.json');

interface LastRun {
  at: number;
  error: string | null;
  problems: SyncReport['problems'];
}

function readLastRun(dataDir: string): LastRun | null {
  try {
    const v = JSON.parse(readFileSync(lastRunFile(dataDir), 'utf8')) as Partial<LastRun>;
    return typeof v.at === 'number' ? { at: v.at, error: v.error ?? null, problems: Array.isArray(v.problems) ? v.problems : [] } : null;
  } catch {
    return null;
  }
}

/**
 * The secret rules follow the user: this machine's change is sent once; another's newer one is taken. `first` (a
 * setup's first sync): the rules go out even unchanged, stamped 0 so that no machine takes them over its own — the
 * target then always holds a segment, which is what a joining machine checks its key against.
 */
function settingsPort(dataDir: string, first = false): SettingsPort {
  const paths = historyPaths(dataDir);
  const stateFile = syncPaths(dataDir).settingsState;
  const sentAt = (): number => {
    try {
      const at = (JSON.parse(readFileSync(stateFile, 'utf8')) as { sentAt?: unknown }).sentAt;
      return typeof at === 'number' ? at : 0;
    } catch {
      return 0;
    }
  };
  const markSent = (at: number) => writeFileAtomic(stateFile, `${JSON.stringify({ sentAt: Math.max(at, sentAt()) })}\n`, 0o600);
  return {
    unsent() {
      const changed = settingsChangedAt(paths);
      const pending = changed !== 0 && changed > sentAt();
      if (!pending && !first) return null;
      const at = pending ? changed : 0;
      const s = readSettings(paths);
      return { at, defaultSecrets: s.defaultSecrets, extraSecrets: s.extraSecrets, secretAction: s.secretAction };
    },
    sent: markSent,
    received(s) {
      if (s.at <= settingsChangedAt(paths)) return;
      try {
        writeSettings(paths, { defaultSecrets: s.defaultSecrets, extraSecrets: s.extraSecrets, secretAction: s.secretAction }, s.at);
        markSent(s.at); // not sent back
      } catch {
        // A pattern this machine's JavaScript refuses: keep this machine's rules.
      }
    },
  };
}

export async function syncNow(
  db: Database,
  dataDir: string,
  env: NodeJS.ProcessEnv,
  onProgress?: (p: SyncProgress) => void,
  first = false,
): Promise<SyncRun> {
  const { config, key } = loaded(dataDir);
  const target = openTarget(dataDir, config.target, env);
  let report: SyncReport;
  try {
    report = await syncOnce(db, target, {
      hostId: config.hostId,
      hostName: config.name,
      key,
      onProgress,
      settings: settingsPort(dataDir, first),
    });
  } catch (error) {
    writeFileAtomic(lastRunFile(dataDir), `${JSON.stringify({ at: Date.now(), error: (error as Error).message, problems: [] })}\n`, 0o600);
    throw new ServiceError('unavailable', `Sync with ${describe(config.target)} failed: ${(error as Error).message}`);
  }
  writeFileAtomic(lastRunFile(dataDir), `${JSON.stringify({ at: Date.now(), error: null, problems: report.problems })}\n`, 0o600);
  return { report, status: syncStatus(db, dataDir) };
}

export function syncStatus(db: Database, dataDir: string, withKey = false): SyncStatus {
  const paths = syncPaths(dataDir);
  const config = readConfig(paths);
  const key = readKey(paths);
  if (!config || !key)
    return {
      setUp: false,
      target: null,
      hostId: null,
      hosts: [],
      lastSync: null,
      lastError: null,
      problems: [],
      words: null,
      qr: null,
      running: readProgress(dataDir),
    };
  const hosts = db
    .prepare(`SELECT host_id AS hostId, name, last_seq AS lastSeq, last_ts AS lastRecordAt, last_contact AS lastContact, bytes, records
      FROM history_sync_hosts ORDER BY name, host_id`)
    .all() as Omit<SyncStatus['hosts'][number], 'self'>[];
  const pending = db
    .prepare(
      'SELECT (SELECT count(*) FROM history_runs WHERE origin IS NULL) + (SELECT count(*) FROM history_sync_tombstones WHERE origin IS NULL)',
    )
    .pluck()
    .get() as number;
  const last = readLastRun(dataDir);
  return {
    setUp: true,
    target: { kind: config.target.kind, location: describe(config.target) },
    hostId: config.hostId,
    hosts: hosts.map((h) => ({ ...h, self: h.hostId === config.hostId, unsent: h.hostId === config.hostId ? pending : 0 })),
    lastSync: last?.at ?? null,
    lastError: last?.error ?? null,
    problems: last?.problems ?? [],
    words: withKey ? keyToWords(key) : null,
    qr: withKey ? qrSvgPath(keyToWords(key).join(' ')) : null,
    running: readProgress(dataDir),
  };
}
