import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type ShellName = 'bash' | 'zsh' | 'fish';
/** Every shell Lanyard has a hook for. */
export const shellNames: readonly ShellName[] = ['bash', 'zsh', 'fish'];

/** The lines that open and close Lanyard's block in a shell's startup file. */
export const hookBlockStart = '# >>> lanyard history hook >>>';
export const hookBlockEnd = '# <<< lanyard history hook <<<';

/** The startup file each shell reads in an interactive session, where the hook block goes. */
export function rcFile(shell: ShellName, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME || os.homedir();
  if (shell === 'bash') return path.join(home, '.bashrc');
  if (shell === 'zsh') return path.join(env.ZDOTDIR || home, '.zshrc');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'fish', 'config.fish');
}

/** Whether the shell's startup file holds Lanyard's hook block. */
export function hookInstalled(shell: ShellName, env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    return readFileSync(rcFile(shell, env), 'utf8').includes(hookBlockStart);
  } catch {
    return false;
  }
}
