// This machine's sync settings and key, in the Lanyard data folder (never in the synced folder): the key file
// is 0600 in the 0700 history folder, written atomically.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../../system/atomic-file.ts';
import { isHostId } from './target.ts';

export type TargetConfig = { kind: 'folder'; dir: string } | { kind: 'git'; url: string };

export interface SyncConfig {
  /** This machine's id among the hosts syncing (its folder's name in the target). */
  hostId: string;
  /** This machine's name as the others show it (the OS host name unless chosen at setup). */
  name: string;
  target: TargetConfig;
}

export interface SyncPaths {
  config: string;
  key: string;
  /** The git target's local clone. */
  clone: string;
  /** When this machine's settings were last sent (sync.ts). */
  settingsState: string;
}

export function syncPaths(dataDir: string): SyncPaths {
  const dir = path.join(dataDir, 'history');
  return {
    config: path.join(dir, 'sync.json'),
    key: path.join(dir, 'sync.key'),
    clone: path.join(dir, 'sync-git'),
    settingsState: path.join(dir, 'sync-settings.json'),
  };
}

export function newHostId(): string {
  return randomBytes(16).toString('hex');
}

export function newMasterKey(): Buffer {
  return randomBytes(32);
}

/** The config, or null when sync is not set up (or its file is unreadable). */
export function readConfig(paths: SyncPaths): SyncConfig | null {
  try {
    const c = JSON.parse(readFileSync(paths.config, 'utf8')) as {
      hostId?: unknown;
      name?: unknown;
      target?: { kind?: unknown; dir?: unknown; url?: unknown };
    };
    if (typeof c.hostId !== 'string' || !isHostId(c.hostId)) return null;
    const name = typeof c.name === 'string' ? c.name : os.hostname();
    if (c.target?.kind === 'folder' && typeof c.target.dir === 'string')
      return { hostId: c.hostId, name, target: { kind: 'folder', dir: c.target.dir } };
    if (c.target?.kind === 'git' && typeof c.target.url === 'string')
      return { hostId: c.hostId, name, target: { kind: 'git', url: c.target.url } };
    return null;
  } catch {
    return null;
  }
}

export function readKey(paths: SyncPaths): Buffer | null {
  try {
    const hex = readFileSync(paths.key, 'utf8').trim();
    return /^[0-9a-f]{64}$/.test(hex) ? Buffer.from(hex, 'hex') : null;
  } catch {
    return null;
  }
}

export function writeSync(paths: SyncPaths, config: SyncConfig, key: Uint8Array): void {
  writeFileAtomic(paths.key, `${Buffer.from(key).toString('hex')}\n`, 0o600);
  writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`, 0o600);
}

export function removeSync(paths: SyncPaths): void {
  rmSync(paths.config, { force: true });
  rmSync(paths.key, { force: true });
  rmSync(paths.clone, { recursive: true, force: true });
  rmSync(paths.settingsState, { force: true });
}
