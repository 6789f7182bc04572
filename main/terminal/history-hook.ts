// Lanyard's terminals carry the History hook even where it is not in the shell's startup file: the shell
// reads the user's usual startup files first, then the hook, which does nothing when it is already loaded.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ShellName } from '../history/contract.ts';
import type { HookScript } from '../history/tool.ts';
import { quoteArg } from '../system/shell-quote.ts';

/** Where History lives, and its hook script maker (from History's public file). */
export interface HistoryHook {
  dataDir: string;
  hookScript: HookScript;
}

export interface HookedLaunch {
  args: string[];
  env: Record<string, string>;
}

function shellName(shell: string): ShellName | null {
  const name = path.basename(shell).replace(/\.exe$/i, '');
  return name === 'bash' || name === 'zsh' || name === 'fish' ? name : null;
}

function write(file: string, text: string): string {
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/** How to start this shell interactively with the hook; null for shells without one (sh, PowerShell). */
export function launchWithHistoryHook(shell: string, { dataDir, hookScript }: HistoryHook, env: NodeJS.ProcessEnv): HookedLaunch | null {
  const name = shellName(shell);
  if (!name) return null;
  const dir = path.join(dataDir, 'terminal');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const hook = quoteArg(write(path.join(dir, `hook.${name}`), hookScript(name, { dataDir })), name);
  if (name === 'fish') return { args: ['--login', '--init-command', `source ${hook}`], env: {} };
  if (name === 'bash') {
    // --init-file makes an interactive non-login bash: read what a login bash would, then the hook.
    const init = write(
      path.join(dir, 'bash-init'),
      [
        '# Lanyard terminal: what a login bash reads, then the history hook.',
        '[ -r /etc/profile ] && . /etc/profile',
        'if [ -r ~/.bash_profile ]; then . ~/.bash_profile; elif [ -r ~/.bash_login ]; then . ~/.bash_login; elif [ -r ~/.profile ]; then . ~/.profile; fi',
        `. ${hook}`,
        '',
      ].join('\n'),
    );
    return { args: ['--init-file', init], env: {} };
  }
  // zsh reads its startup files from $ZDOTDIR: ours source the user's, the last one adds the hook and hands
  // ZDOTDIR back so .zlogin and everything after come from the user's folder as usual.
  const zdot = path.join(dir, 'zsh');
  mkdirSync(zdot, { recursive: true, mode: 0o700 });
  const step = (file: string, extra: string[] = []) =>
    write(
      path.join(zdot, file),
      [`ZDOTDIR=$LANYARD_USER_ZDOTDIR`, `[ -r "$ZDOTDIR/${file}" ] && . "$ZDOTDIR/${file}"`, ...extra, ''].join('\n'),
    );
  step('.zshenv', ['LANYARD_USER_ZDOTDIR=$ZDOTDIR', `ZDOTDIR=${quoteArg(zdot, 'zsh')}`]);
  step('.zprofile', [`ZDOTDIR=${quoteArg(zdot, 'zsh')}`]);
  step('.zshrc', [`. ${hook}`, 'unset LANYARD_USER_ZDOTDIR']);
  return { args: ['-l'], env: { ZDOTDIR: zdot, LANYARD_USER_ZDOTDIR: env.ZDOTDIR || env.HOME || '' } };
}
