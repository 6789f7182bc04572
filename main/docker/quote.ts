// Quoting one word for a shell so it reaches the program as exactly that one argument.
import type { ShellDialect } from '../contract/docker.ts';

const posixSafe = /^[A-Za-z0-9_@%+=:,./-]+$/;
// PowerShell gives @ (splatting), % and a leading - no special meaning only sometimes: quote them.
const powershellSafe = /^[A-Za-z0-9_+=:,./][A-Za-z0-9_+=:,./-]*$/;

/** POSIX sh: single quotes keep everything literal; a ' inside becomes '\'' . */
export function quotePosix(word: string): string {
  if (posixSafe.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** PowerShell: single-quoted strings are literal; any of its four single-quote characters is doubled. */
export function quotePowerShell(word: string): string {
  if (powershellSafe.test(word)) return word;
  return `'${word.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

export function quoteWord(word: string, dialect: ShellDialect): string {
  return dialect === 'powershell' ? quotePowerShell(word) : quotePosix(word);
}

export function defaultDialect(platform: NodeJS.Platform = process.platform): ShellDialect {
  return platform === 'win32' ? 'powershell' : 'posix';
}
