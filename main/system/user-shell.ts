// Which shell runs things for the user: their login shell, and the one that runs a command line, whose
// dialect every caller quotes for (shell-quote.ts).
import os from 'node:os';
import { commandLine, dialectOf, type ShellDialect } from './shell-quote.ts';

export function userShell(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return env.LANYARD_SHELL || 'powershell.exe';
  let fromPasswd = '';
  try {
    fromPasswd = os.userInfo().shell ?? '';
  } catch {
    // no passwd entry (some containers): fall through
  }
  return env.LANYARD_SHELL || env.SHELL || fromPasswd || '/bin/sh';
}

export interface CommandShell {
  shell: string;
  dialect: ShellDialect;
}

/** The shell that runs a command line: the user's, unless Lanyard cannot quote for it (csh, nu…): then sh, or Windows PowerShell. */
export function commandShell(env: NodeJS.ProcessEnv = process.env): CommandShell {
  const shell = userShell(env);
  const dialect = dialectOf(shell);
  if (dialect) return { shell, dialect };
  return process.platform === 'win32' ? { shell: 'powershell.exe', dialect: 'powershell' } : { shell: '/bin/sh', dialect: 'sh' };
}

/** A command shown to the user (to read, or to paste into their shell): quoted as their shell reads it. */
export function shownCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  return commandLine(argv, commandShell(env).dialect);
}
