// A command from History typed at a new tab's prompt. It was written for the shell that recorded it: when the
// tab runs another dialect (a bash line in a fish tab, where 'a\' '…' reads differently), that shell runs it,
// the command passed as one argument quoted for the tab's shell. Typed text acts as keys, so control
// characters (Ctrl+C, Escape sequences) are refused rather than typed.
import { ServiceError } from '../contract/errors.ts';
import { commandLine, dialectOf, ShellQuoteError, type ShellDialect } from '../system/shell-quote.ts';
import { which } from '../system/which.ts';

/** The program each dialect is, looked up on PATH: never the name a history record carries. */
const programs: Record<ShellDialect, { name: string; script: string }> = {
  sh: { name: 'sh', script: '-c' },
  bash: { name: 'bash', script: '-c' },
  zsh: { name: 'zsh', script: '-c' },
  fish: { name: 'fish', script: '-c' },
  pwsh: { name: 'pwsh', script: '-Command' },
  powershell: { name: 'powershell', script: '-Command' },
  cmd: { name: 'cmd', script: '/c' },
};

/** C0 controls but line feed (a multi-line command is typed line by line), and DEL: readline acts on each (Tab completes, CR accepts, Ctrl+K kills). */
export const untypeable = /[\0-\x09\x0b-\x1f\x7f]/;

/** What to type into a tab running `tabShell` so `command`, recorded by `recordedShell`, runs as it did there. */
export function retypeLine(command: string, recordedShell: string | null, tabShell: string, env: NodeJS.ProcessEnv): string {
  if (untypeable.test(command))
    throw new ServiceError(
      'invalid-argument',
      'This command holds a tab or control character, which a terminal reads as a key (completion, Ctrl+C, Escape…): copy it instead.',
      { field: 'params.input.command' },
    );
  const tab = dialectOf(tabShell);
  const recorded = recordedShell ? dialectOf(recordedShell) : null;
  if (!tab || !recorded || recorded === tab) return `${command}\r`;
  const { name, script } = programs[recorded];
  const program = which(name, env);
  if (!program)
    throw new ServiceError(
      'unavailable',
      `This command was recorded in ${name}, which is not installed here: ${tabShell} would read it differently.`,
      { hint: 'Copy it and adapt it to your shell.' },
    );
  try {
    return `${commandLine([program, script, command], tab)}\r`;
  } catch (error) {
    if (error instanceof ShellQuoteError) throw new ServiceError('invalid-argument', error.message, { field: 'params.input.command' });
    throw error;
  }
}
