// The values last used for each cheat's placeholders, kept in $LANYARD_HOME/docker/last-used.json (0600).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../system/atomic-file.ts';

type Store = Record<string, Record<string, string>>;

export function lastUsedFile(dataDir: string): string {
  return path.join(dataDir, 'docker', 'last-used.json');
}

function read(file: string): Store {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof data === 'object' && data !== null ? (data as Store) : {};
  } catch {
    return {};
  }
}

/** What was used last for this cheat; a placeholder it never filled falls back to the same name used by another cheat. */
export function lastUsed(dataDir: string, cheatId: string, names: string[]): Record<string, string> {
  const store = read(lastUsedFile(dataDir));
  const byName = store['*'] ?? {};
  const own = store[cheatId] ?? {};
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = own[name] ?? byName[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}

export function remember(dataDir: string, cheatId: string, values: Record<string, string>): void {
  const file = lastUsedFile(dataDir);
  const store = read(file);
  const filled = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
  store[cheatId] = { ...store[cheatId], ...filled };
  store['*'] = { ...store['*'], ...filled };
  writeFileAtomic(file, JSON.stringify(store), 0o600);
}
