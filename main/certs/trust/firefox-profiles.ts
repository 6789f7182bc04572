// Firefox's profiles.ini: the profiles that live outside the folder Lanyard scans (Developer Edition's
// dev-edition-default made by its installer, profiles the user put elsewhere with IsRelative=0) and each install's
// default ([Install<hash>] Default=). A file from the user's home: read bounded, line by line, unknown keys ignored.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const maxBytes = 1024 * 1024;
const maxProfiles = 256;

export interface FirefoxProfile {
  /** Name= of a [Profile…] section; "install default" for an [Install…] section's Default=. */
  name: string;
  dir: string;
}

/** The profiles that `profiles.ini` (text) names, resolved against `root`, the folder holding the file. */
export function parseProfilesIni(text: string, root: string): FirefoxProfile[] {
  const found: FirefoxProfile[] = [];
  let section: Map<string, string> | null = null;
  let kind: 'profile' | 'install' | null = null;
  const flush = () => {
    if (!section || !kind || found.length >= maxProfiles) return;
    const where = kind === 'profile' ? section.get('Path') : section.get('Default');
    if (!where || where.includes('\0')) return;
    // Install defaults are written relative (Firefox ≥ 67) unless absolute; profiles say which with IsRelative.
    const relative = kind === 'profile' ? section.get('IsRelative') !== '0' : !path.isAbsolute(where);
    const dir = relative ? path.resolve(root, where) : path.resolve(where);
    found.push({ name: kind === 'profile' ? (section.get('Name') ?? where) : 'install default', dir });
  };
  for (const raw of text.slice(0, maxBytes).split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      flush();
      const name = line.slice(1, -1);
      kind = name.startsWith('Profile') ? 'profile' : name.startsWith('Install') ? 'install' : null;
      section = new Map();
      continue;
    }
    const eq = line.indexOf('=');
    if (section && eq > 0) section.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  flush();
  return found;
}

/** The profiles named by `<root>/profiles.ini`, or none when there is no such file. */
export function profilesFromIni(root: string): FirefoxProfile[] {
  let text: string;
  try {
    const buffer = readFileSync(path.join(root, 'profiles.ini'));
    text = buffer.subarray(0, maxBytes).toString('utf8');
  } catch {
    return [];
  }
  return parseProfilesIni(text, root);
}
