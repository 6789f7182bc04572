// The cheat library: the built-in files, then the user's own ($LANYARD_HOME/cheats/*.json), which win on a
// shared id. A broken or oversized user file is reported as a problem, never fatal (bounds: cheat-bounds.ts).
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cheatFile, type Cheat, type CheatFileEntry } from './contract.ts';
import { ServiceError } from '../contract/errors.ts';
import { builtinCheatFiles } from './builtin-cheats.ts';
import { boundProblems, cheatBounds, firstCheats, readCheatFile } from './cheat-bounds.ts';
import { checkCheat } from './template.ts';

export interface CheatLibrary {
  cheats: Cheat[];
  problems: string[];
}

export function userCheatsDir(dataDir: string): string {
  return path.join(dataDir, 'cheats');
}

function parseFile(name: string, content: unknown, source: Cheat['source'], file: string | null, problems: string[]): Cheat[] {
  const parsed = cheatFile.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    problems.push(`${name}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'not a cheat file'}`);
    return [];
  }
  const notes: string[] = [];
  const entries = firstCheats(parsed.data.cheats, notes);
  problems.push(...notes.map((note) => `${name}: ${note}`));
  return entries.flatMap((entry) => {
    const shape = [...boundProblems(entry), ...checkCheat(entry)];
    if (shape.length > 0) {
      problems.push(...shape.map((p) => `${name}: ${p}`));
      return [];
    }
    // Imported cheats carry their origin in the file so the library can credit them.
    const origin: Cheat['source'] =
      source === 'user' && entry.credit?.startsWith('tldr')
        ? 'tldr'
        : source === 'user' && entry.credit?.startsWith('navi')
          ? 'navi'
          : source;
    return [{ ...entry, source: origin, file }];
  });
}

export function loadBuiltinCheats(problems: string[] = []): Cheat[] {
  return Object.entries(builtinCheatFiles).flatMap(([name, content]) =>
    parseFile(`resources/cheats/${name}`, content, 'builtin', null, problems),
  );
}

/** The library is re-read only when a user cheat file changed: search asks for it on every keystroke. */
let cached: { dataDir: string; signature: string; library: CheatLibrary } | null = null;

function userFiles(dir: string): { names: string[]; signature: string } {
  let names: string[] = [];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch {
    // no folder yet: no user cheats
  }
  const signature = names
    .map((name) => {
      try {
        const stat = statSync(path.join(dir, name));
        return `${name}:${stat.mtimeMs}:${stat.size}`;
      } catch {
        return `${name}:gone`;
      }
    })
    .join('|');
  return { names, signature };
}

export function loadCheats(dataDir: string): CheatLibrary {
  const dir = userCheatsDir(dataDir);
  const { names, signature } = userFiles(dir);
  if (cached && cached.dataDir === dataDir && cached.signature === signature) return cached.library;
  const problems: string[] = [];
  const byId = new Map<string, Cheat>();
  for (const cheat of loadBuiltinCheats(problems)) byId.set(cheat.id, cheat);
  if (names.length > cheatBounds.userFiles)
    problems.push(
      `${dir}: ${names.length} cheat files, more than ${cheatBounds.userFiles}: the last ${names.length - cheatBounds.userFiles} (by name) were not loaded`,
    );
  for (const name of names.slice(0, cheatBounds.userFiles)) {
    const file = path.join(dir, name);
    let content: unknown;
    try {
      content = JSON.parse(readCheatFile(file));
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    for (const cheat of parseFile(file, content, 'user', file, problems)) byId.set(cheat.id, cheat);
  }
  const library = { cheats: [...byId.values()], problems };
  cached = { dataDir, signature, library };
  return library;
}

export function findCheat(library: CheatLibrary, id: string): Cheat {
  const cheat = library.cheats.find((c) => c.id === id);
  if (!cheat)
    throw new ServiceError('not-found', `There is no cheat "${id}".`, { hint: 'Run `lanyard docker cheats` to see the cheats there are.' });
  return cheat;
}

/** Write a user cheat file (replacing one of the same name) in $LANYARD_HOME/cheats, private to the user. */
export function saveUserFile(dataDir: string, fileName: string, entries: CheatFileEntry[]): string {
  const dir = userCheatsDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, fileName);
  writeFileSync(file, `${JSON.stringify({ cheats: entries }, null, 2)}\n`, { mode: 0o600 });
  cached = null;
  return file;
}

/** Write one user cheat: back into the file it came from when it is an existing user cheat, else its own file. */
export function saveUserCheat(dataDir: string, library: CheatLibrary, entry: CheatFileEntry): string {
  const problems = [...boundProblems(entry), ...checkCheat(entry)];
  if (problems.length > 0) throw new ServiceError('invalid-argument', problems.join('; '), { field: 'params.cheat.template' });
  const existing = library.cheats.find((c) => c.id === entry.id && c.file);
  if (!existing?.file) return saveUserFile(dataDir, `${entry.id}.json`, [entry]);
  const entries = (JSON.parse(readCheatFile(existing.file)) as { cheats: CheatFileEntry[] }).cheats.map((c) =>
    c.id === entry.id ? entry : c,
  );
  return saveUserFile(dataDir, path.basename(existing.file), entries);
}

export function deleteUserCheat(dataDir: string, library: CheatLibrary, id: string): void {
  const cheat = findCheat(library, id);
  if (!cheat.file)
    throw new ServiceError('invalid-argument', `"${id}" is a built-in cheat; only your own cheats can be deleted.`, { field: 'params.id' });
  const entries = (JSON.parse(readCheatFile(cheat.file)) as { cheats: CheatFileEntry[] }).cheats.filter((c) => c.id !== id);
  cached = null;
  if (entries.length === 0) rmSync(cheat.file);
  else saveUserFile(dataDir, path.basename(cheat.file), entries);
}
