// Quoting, once: a word in, the text that the shell which will actually run the line reads back as exactly
// that one argument to the program it starts. The dialects differ where it hurts: fish reads \' and \\ inside
// single quotes, zsh expands a leading =, Windows PowerShell 5.1 hands an embedded " to programs unescaped,
// cmd.exe expands %VAR% even inside quotes and has no quote of its own for " at all.
import path from 'node:path';
import type { ShellDialect } from '../contract/shell.ts';

export type { ShellDialect };

export class ShellQuoteError extends Error {}

/** The dialect of a shell program (a path or a name, / or \ separated); null for shells we cannot quote for (csh, nu…). */
export function dialectOf(shell: string): ShellDialect | null {
  const name = path.win32
    .basename(shell)
    .toLowerCase()
    .replace(/\.exe$/, '');
  if (name === 'sh' || name === 'dash' || name === 'ash' || name === 'busybox' || name === 'ksh' || name === 'mksh' || name === 'yash')
    return 'sh';
  if (name === 'bash' || name === 'zsh' || name === 'fish' || name === 'pwsh' || name === 'powershell' || name === 'cmd') return name;
  return null;
}

// Words a dialect reads as themselves unquoted; anything else is quoted. No = anywhere (zsh's =cmd, and an
// assignment where a command is expected), no % in fish (old process expansion), and PowerShell's bare words
// start with a letter, / or a . not before a digit (1kb, 0x10, .5 are numbers to it; , @ + are operators).
const posixBare = /^[A-Za-z0-9_+:,./@%-]+$/;
const fishBare = /^[A-Za-z0-9_+:,./@-]+$/;
const powershellBare = /^(?:[A-Za-z_/]|\.(?![0-9]))[A-Za-z0-9_:./-]*$/;
const cmdBare = /^[A-Za-z0-9_+:./-]+$/;

/** PowerShell's four single-quote characters; inside '…' each is written twice. */
const powershellSingleQuotes = /['\u2018\u2019\u201a\u201b]/g;

/**
 * The Windows C runtime's argument rule (CommandLineToArgvW, every MSVC program): inside "…", a " is \" and
 * backslashes are doubled only where they precede a " (including the closing one).
 */
function msvcrtQuote(word: string): string {
  let out = '"';
  let backslashes = 0;
  for (const ch of word) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    out += ch === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${ch}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/**
 * cmd.exe: the program's own quoting (above), then every cmd metacharacter caret-escaped, the quotes too, so
 * cmd never enters its quoted state and reads nothing as an operator. A % becomes ^% (the variable "NAME^" is
 * looked up and not found, then the caret goes) on a command line, %% in a batch file.
 */
function cmdEscape(text: string, batchFile: boolean): string {
  return text.replace(/[()%!^"<>&|]/g, (ch) => (ch === '%' && batchFile ? '%%' : `^${ch}`));
}

function refuseNul(word: string): void {
  if (word.includes('\0')) throw new ShellQuoteError('A NUL character cannot be passed: no program argument can hold one.');
}

/** One argument for a program that the shell starts, written so that shell passes exactly `word`. */
export function quoteArg(word: string, dialect: ShellDialect): string {
  refuseNul(word);
  switch (dialect) {
    case 'sh':
    case 'bash':
    case 'zsh':
      return posixBare.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
    case 'fish':
      return fishBare.test(word) ? word : `'${word.replace(/[\\']/g, '\\$&')}'`;
    case 'pwsh':
      // PowerShell ≥ 7.3 passes a native program's arguments itself, escaped ($PSNativeCommandArgumentPassing
      // "Standard", or "Windows" for everything but batch files and a few legacy programs).
      return powershellString(word);
    case 'powershell':
      // Windows PowerShell 5.1 only wraps an argument holding a space in "…", leaving inner quotes alone: give
      // it the program's own quoting already done, which it then passes untouched (and '' would vanish).
      return powershellBare.test(word) ? word : powershellString(msvcrtQuote(word));
    case 'cmd':
      if (/[\r\n]/.test(word)) throw new ShellQuoteError('cmd.exe ends a command at a line break: a value for it cannot hold one.');
      return cmdBare.test(word) ? word : cmdEscape(msvcrtQuote(word), false);
  }
}

/** A string in PowerShell's own language ('…' is literal): for assignments, and pwsh's native arguments. */
export function powershellString(text: string): string {
  refuseNul(text);
  return powershellBare.test(text) ? text : `'${text.replace(powershellSingleQuotes, '$&$&')}'`;
}

/** A whole command line: the program and its arguments, each passed as is. */
export function commandLine(argv: readonly string[], dialect: ShellDialect): string {
  const [program, ...args] = argv;
  if (program === undefined) throw new ShellQuoteError('A command line needs a program.');
  const words = args.map((a) => quoteArg(a, dialect));
  if (dialect === 'cmd') return [cmdProgram(program), ...words].join(' ');
  if (dialect !== 'pwsh' && dialect !== 'powershell') return [quoteArg(program, dialect), ...words].join(' ');
  // PowerShell looks the program up itself (no argument passing), and a quoted first word is a string to it,
  // not a command: the call operator runs it.
  const first = powershellString(program);
  return [first === program ? first : `& ${first}`, ...words].join(' ');
}

/**
 * A command line run with extra environment variables. sh, bash, zsh and fish (3.1+) read `NAME=value cmd`;
 * PowerShell sets $env:NAME for the session first; cmd.exe runs `set NAME=value&&` (caret-escaped, no quotes,
 * which set would keep).
 */
export function envCommandLine(env: readonly (readonly [string, string])[], argv: readonly string[], dialect: ShellDialect): string {
  for (const [name] of env)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ShellQuoteError(`Not an environment variable name: ${JSON.stringify(name)}`);
  const command = commandLine(argv, dialect);
  if (dialect === 'pwsh' || dialect === 'powershell')
    return [...env.map(([name, value]) => `$env:${name} = ${powershellString(value)};`), command].join(' ');
  if (dialect === 'cmd')
    return [
      ...env.map(([name, value]) => {
        refuseNul(value);
        if (/[\r\n]/.test(value)) throw new ShellQuoteError('cmd.exe ends a command at a line break: a value for it cannot hold one.');
        return `set ${name}=${cmdEscape(value, false)}&&`;
      }),
      command,
    ].join(' ');
  return [...env.map(([name, value]) => `${name}=${quoteArg(value, dialect)}`), command].join(' ');
}

/** A line of a Windows batch file (.cmd) running argv; `rest` is appended unquoted (%*, say). */
export function batchLine(argv: readonly string[], rest: string): string {
  for (const word of argv) {
    refuseNul(word);
    if (/[\r\n]/.test(word)) throw new ShellQuoteError('A batch file line cannot hold a line break.');
  }
  const [program = '', ...args] = argv;
  return [`"${program.replaceAll('%', '%%')}"`, ...args.map((a) => (cmdBare.test(a) ? a : cmdEscape(msvcrtQuote(a), true))), rest].join(
    ' ',
  );
}

/** cmd.exe finds the program by its quoted path; a path cannot hold ", and % would expand inside the quotes. */
function cmdProgram(program: string): string {
  refuseNul(program);
  if (/["%\r\n]/.test(program))
    throw new ShellQuoteError(`cmd.exe cannot start a program whose path holds " % or a line break: ${program}`);
  return cmdBare.test(program) ? program : `"${program}"`;
}
