import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface DataDir {
  path: string;
  source: 'LANYARD_HOME' | 'default';
}

/** Where Lanyard keeps its data: $LANYARD_HOME, else the OS's app-data folder. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): DataDir {
  if (env.LANYARD_HOME) return { path: path.resolve(env.LANYARD_HOME), source: 'LANYARD_HOME' };
  const home = os.homedir();
  if (process.platform === 'darwin') return { path: path.join(home, 'Library', 'Application Support', 'Lanyard'), source: 'default' };
  if (process.platform === 'win32')
    return { path: path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Lanyard'), source: 'default' };
  return { path: path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'lanyard'), source: 'default' };
}

/** Create the folder (and missing parents) for its owner only; an existing folder is left as the user set it (Doctor reports it). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
