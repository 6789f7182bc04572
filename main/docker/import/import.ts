// Import navi .cheat files or tldr pages from a file or folder into $LANYARD_HOME/cheats, one file per source file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceError } from '../../contract/errors.ts';
import { saveUserFile } from '../cheats.ts';
import { checkCheat } from '../template.ts';
import { parseNavi } from './navi.ts';
import { slugId } from './placeholders.ts';
import { parseTldr } from './tldr.ts';

function filesUnder(root: string, extension: string): string[] {
  let stat;
  try {
    stat = statSync(root);
  } catch {
    throw new ServiceError('not-found', `There is no file or folder ${root}.`, { field: 'params.path' });
  }
  if (stat.isFile()) return [root];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(extension))
    .map((name) => path.join(root, name))
    .sort();
}

export function importCheats(dataDir: string, format: 'navi' | 'tldr', from: string): { imported: string[]; skipped: string[] } {
  const imported: string[] = [];
  const skipped: string[] = [];
  // A path typed in the app may start with ~ as it would in a shell.
  const root = from === '~' || from.startsWith('~/') ? path.join(os.homedir(), from.slice(1)) : path.resolve(from);
  for (const file of filesUnder(root, format === 'navi' ? '.cheat' : '.md')) {
    const base = slugId(path.basename(file).replace(/\.(cheat|md)$/, ''));
    const parsed = (format === 'navi' ? parseNavi : parseTldr)(readFileSync(file, 'utf8'), base);
    const sound = parsed.filter((cheat) => {
      const problems = checkCheat(cheat);
      skipped.push(...problems.map((p) => `${file}: ${p}`));
      return problems.length === 0;
    });
    if (sound.length === 0) continue;
    saveUserFile(dataDir, `${format}-${base}.json`, sound);
    imported.push(...sound.map((c) => c.id));
  }
  return { imported, skipped };
}
