import { statSync } from 'node:fs';
import type { DataDirCheck } from './contract.ts';
import type { DataDir } from '../system/data-dir.ts';

/** The data folder holds secrets and history: it must belong to the user and be closed to everyone else. */
export function checkDataDir(dir: DataDir): DataDirCheck {
  const base = { path: dir.path, source: dir.source };
  let stats;
  try {
    stats = statSync(dir.path);
  } catch {
    return { ...base, exists: false, mode: null, status: 'ok', detail: 'Not created yet; Lanyard creates it (mode 0700) on first use.' };
  }
  if (!stats.isDirectory())
    return {
      ...base,
      exists: true,
      mode: null,
      status: 'error',
      detail: `${dir.path} exists but is not a folder. Move it away or set LANYARD_HOME to another path.`,
    };
  if (process.platform === 'win32')
    return { ...base, exists: true, mode: null, status: 'ok', detail: 'Inside your user profile, protected by its access rules.' };
  const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    return {
      ...base,
      exists: true,
      mode,
      status: 'error',
      detail: `Owned by uid ${stats.uid}, not you (uid ${uid}). Fix: sudo chown -R ${uid} '${dir.path}'`,
    };
  }
  if ((stats.mode & 0o077) !== 0) {
    return {
      ...base,
      exists: true,
      mode,
      status: 'warn',
      detail: `Others can read it (mode ${mode}); it holds history and keys. Fix: chmod 700 '${dir.path}'`,
    };
  }
  return { ...base, exists: true, mode, status: 'ok', detail: `Private to you (mode ${mode}).` };
}
