// Import navi .cheat files or tldr pages from a file or folder into $LANYARD_HOME/cheats, one file per source file.
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceError } from '../../contract/errors.ts';
import { resolveUserPath } from '../../system/home-path.ts';
import { boundProblems, cheatBounds, firstCheats, readCheatFile } from '../cheat-bounds.ts';
import { saveUserFile } from '../cheats.ts';
import { checkCheat } from '../template.ts';
import { parseNavi } from './navi.ts';
import { slugId } from './placeholders.ts';
import { parseTldr } from './tldr.ts';

/**
 * The files to import under a file or folder, sorted, at most `filesPerImport` of them (the walk stops there:
 * `~` given by mistake is not read whole); the rest are counted in `skipped`.
 */
function filesUnder(root: string, extension: string, skipped: string[]): string[] {
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new ServiceError('not-found', `There is no file or folder ${root}.`, { field: 'params.path' });
  }
  if (stat.isFile()) return [root];
  const found: string[] = [];
  const folders = [root];
  let more = false;
  while (folders.length > 0 && !more) {
    const folder = folders.pop()!;
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      skipped.push(`${folder}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      continue;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) folders.push(full);
      else if (entry.name.endsWith(extension)) {
        if (found.length === cheatBounds.filesPerImport) {
          more = true;
          break;
        }
        found.push(full);
      }
    }
  }
  if (more)
    skipped.push(
      `${root}: more than ${cheatBounds.filesPerImport} ${extension} files; only the first ${cheatBounds.filesPerImport} found were imported`,
    );
  return found.sort();
}

export function importCheats(dataDir: string, format: 'navi' | 'tldr', from: string): { imported: string[]; skipped: string[] } {
  const imported: string[] = [];
  const skipped: string[] = [];
  // A path typed in the app may start with ~ as it would in a shell.
  const root = resolveUserPath(from, os.homedir());
  for (const file of filesUnder(root, format === 'navi' ? '.cheat' : '.md', skipped)) {
    const base = slugId(path.basename(file).replace(/\.(cheat|md)$/, ''));
    let text: string;
    try {
      text = readCheatFile(file);
    } catch (error) {
      skipped.push((error as Error).message);
      continue;
    }
    const notes: string[] = [];
    const parsed = firstCheats((format === 'navi' ? parseNavi : parseTldr)(text, base, notes), notes);
    skipped.push(...notes.map((note) => `${file}: ${note}`));
    const sound = parsed.filter((cheat) => {
      const problems = [...boundProblems(cheat), ...checkCheat(cheat)];
      skipped.push(...problems.map((p) => `${file}: ${p}`));
      return problems.length === 0;
    });
    if (sound.length === 0) continue;
    saveUserFile(dataDir, `${format}-${base}.json`, sound);
    imported.push(...sound.map((c) => c.id));
  }
  return { imported, skipped };
}
