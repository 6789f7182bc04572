// Which shell a terminal runs, and how: the user's login shell, so the tab has their login environment
// (PATH and all, even when the app was started from a desktop launcher that lacks it).
import path from 'node:path';

export interface ShellLaunch {
  file: string;
  args: string[];
}

/** An interactive login shell, or the login shell running one command line (`-l -c`, which bash, zsh and fish all accept). */
export function shellLaunch(shell: string, command: string | undefined): ShellLaunch {
  const name = path.basename(shell).toLowerCase();
  if (name.startsWith('powershell') || name.startsWith('pwsh'))
    return { file: shell, args: command ? ['-NoLogo', '-Command', command] : ['-NoLogo'] };
  // /v:off: no !delayed! expansion whatever the registry says, so the quoting of shell-quote.ts holds.
  if (name === 'cmd.exe' || name === 'cmd') return { file: shell, args: command ? ['/d', '/v:off', '/c', command] : [] };
  // dash and busybox sh read the profile with -l too.
  return { file: shell, args: command ? ['-l', '-c', command] : ['-l'] };
}

/** The environment a terminal starts with: the host's, plus what a terminal emulator promises. */
export function terminalEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && !key.startsWith('ELECTRON_') && key !== 'NODE_OPTIONS') out[key] = value;
  out.TERM = 'xterm-256color';
  out.COLORTERM = 'truecolor';
  out.TERM_PROGRAM = 'Lanyard';
  return out;
}
