// Text from certificate content (a CA's organization, a subject alternative name) that becomes a file name or a
// trust-store label (NSS nickname, Java alias, keychain label): reduced to an allow-list of characters and a bounded
// length, and a file built from it checked to stay in its folder. One rule for every such name, whatever its source.
import path from 'node:path';
import { ServiceError } from '../contract/errors.ts';

/** Longest label and file name derived from certificate content (well under every file system's 255 bytes). */
export const maxDerivedName = 128;

const allowed = (code: number, spaces: boolean): boolean =>
  (code >= 0x30 && code <= 0x39) ||
  (code >= 0x41 && code <= 0x5a) ||
  (code >= 0x61 && code <= 0x7a) ||
  code === 0x2e ||
  code === 0x5f ||
  code === 0x2d ||
  code === 0x40 ||
  code === 0x2b ||
  (spaces && code === 0x20);

/** Every character outside [A-Za-z0-9._@+-] (and space, for labels) becomes '_'; cut to `max` characters. */
function reduce(text: string, spaces: boolean, max: number): string {
  let out = '';
  for (let i = 0; i < text.length && out.length < max; i++) out += allowed(text.charCodeAt(i), spaces) ? text[i] : '_';
  return out;
}

/**
 * A store label (nickname, alias, keychain label): no path separator, no ':' (NSS reads "token:nickname"), no control
 * character or newline for a printed command to carry. mkcert's "mkcert development CA <serial>" is unchanged by it.
 */
export function safeLabel(text: string, max = maxDerivedName): string {
  return reduce(text, true, max).trim() || '_';
}

/** A file name: the label's characters without spaces, never empty, never hidden, never "." or "..". */
export function safeBasename(text: string, max = maxDerivedName): string {
  const name = reduce(text, false, max);
  return name.startsWith('.') || name === '' ? `_${name.slice(1)}` : name;
}

/** `dir/name`, refused unless it names an entry directly inside `dir` (the last check, whatever built the name). */
export function fileInside(dir: string, name: string): string {
  const file = path.resolve(dir, name);
  if (path.dirname(file) !== path.resolve(dir) || name !== path.basename(name)) {
    throw new ServiceError('invalid-argument', `The file name "${name}", made from certificate content, would leave ${dir}.`);
  }
  return file;
}
