// Quoting judged by the shells themselves: every hostile value, quoted for each installed shell, goes
// through that shell (a -c command line, and an interactive one reading typed lines, as a terminal tab does)
// to a program that prints its arguments. Exactly one argument must arrive, unchanged, and nothing may run.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandLine, ShellQuoteError, type ShellDialect } from '../../../main/system/shell-quote.ts';
import { untypeable } from '../../../main/terminal/retype.ts';
import { fuzz } from '../../support/fuzz.ts';
import { hostileWords } from '../../support/hostile-words.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

interface Shell {
  label: string;
  dialect: ShellDialect;
  peer: string | null;
  /** How the shell gets the line: as the -c argument, or typed on its input (interactive, readline and all). */
  run: (line: string) => { file: string; args: string[]; input?: string };
  /** Typed lines cannot carry a tab or control character (each is a key): History refuses to type those (retype.ts). */
  typed?: boolean;
}

const dash = findPeer('dash', 'apt-get install dash');
const busybox = findPeer('busybox', 'apt-get install busybox-static');
const bash = findPeer('bash', 'apt-get install bash');
const zsh = findPeer('zsh', 'apt-get install zsh');
const fish = findPeer('fish', 'apt-get install fish');

const shells: Shell[] = [
  { label: 'dash -c', dialect: 'sh', peer: dash, run: (line) => ({ file: dash!, args: ['-c', line] }) },
  { label: 'busybox sh -c', dialect: 'sh', peer: busybox, run: (line) => ({ file: busybox!, args: ['sh', '-c', line] }) },
  { label: 'bash -c', dialect: 'bash', peer: bash, run: (line) => ({ file: bash!, args: ['--norc', '--noprofile', '-c', line] }) },
  // Interactive: history expansion (!) is on, as in a terminal tab the History view types into.
  {
    label: 'bash -i (typed)',
    dialect: 'bash',
    peer: bash,
    typed: true,
    run: (line) => ({ file: bash!, args: ['--norc', '--noprofile', '-i'], input: `${line}\n` }),
  },
  { label: 'zsh -c', dialect: 'zsh', peer: zsh, run: (line) => ({ file: zsh!, args: ['-f', '-c', line] }) },
  {
    label: 'zsh -i (typed)',
    dialect: 'zsh',
    peer: zsh,
    typed: true,
    run: (line) => ({ file: zsh!, args: ['-f', '-i'], input: `${line}\n` }),
  },
  { label: 'fish -c', dialect: 'fish', peer: fish, run: (line) => ({ file: fish!, args: ['--no-config', '-c', line] }) },
];

/** Run `printf '%s\0' WORDS…` through the shell in an empty folder: the arguments printf got, and the folder's files after. */
// The shells' own files (fish's ~/.config, bash's history) go to a HOME of their own, not the judged folder.
// A UTF-8 locale, as in a terminal: in the C locale readline reads the bytes of ’ as Meta keys.
const home = tempDir();

function throughShell(
  shell: Shell,
  cwd: string,
  words: readonly string[],
  program: readonly string[] = ['printf', '%s\\0'],
): { args: string[]; files: string[] } {
  const line = commandLine([...program, ...words], shell.dialect);
  const { file, args, input } = shell.run(line);
  const result = spawnSync(file, args, {
    cwd,
    input: input ?? '',
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, TERM: 'dumb', LANG: 'C.UTF-8' },
    maxBuffer: 16 * 1024 * 1024,
    timeout: 20_000,
  });
  const out = result.stdout.split('\0');
  expect(out.pop(), `${shell.label}: output ends with the last argument's NUL`).toBe('');
  return { args: out, files: readdirSync(cwd) };
}

describe.each(shells)('quoting for $label', (shell) => {
  const words = shell.typed ? hostileWords.filter((w) => !untypeable.test(w)) : hostileWords;

  it.skipIf(!shell.peer)('delivers every hostile value as exactly one argument, unchanged, running nothing', () => {
    const cwd = tempDir();
    // All in one command line (one shell start instead of one per value); only when that is not exactly right is
    // each value run on its own, so the failure names it.
    const together = throughShell(shell, cwd, words);
    if (JSON.stringify(together) === JSON.stringify({ args: words, files: [] })) return;
    for (const word of words) {
      const { args, files } = throughShell(shell, tempDir(), [word]);
      expect({ args, files }, `${shell.label} ${JSON.stringify(word.slice(0, 80))}`).toEqual({ args: [word], files: [] });
    }
    expect(together, 'each value is right on its own, but not all in one line').toEqual({ args: words, files: [] });
  });

  it.skipIf(!shell.peer)('hands them all to a real program in one command line (a node script printing its argv)', () => {
    const cwd = tempDir();
    const printer = path.join(tempDir(), 'argv.js');
    writeFileSync(printer, "process.stdout.write(process.argv.slice(2).map((a) => a + '\\0').join(''));\n");
    const { args, files } = throughShell(shell, cwd, words, [process.execPath, printer]);
    expect(files).toEqual([]);
    expect(args).toEqual(words);
  });

  it.skipIf(!shell.peer)('passes any string (NUL aside) through unchanged: property', () => {
    const cwd = tempDir();
    // Whole code points (no lone surrogates, which no argv can carry), half of them characters some shell gives a
    // meaning; NUL excluded: quoteArg refuses it.
    const unit = fc.oneof(
      fc.constantFrom(...`'"\\$\`!%^(){}[]*?#;&|<>~=-@, \t\n\r‘’“”`),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    const word = fc.string({ unit, maxLength: 40 }).filter((s) => !s.includes('\0') && !(shell.typed && untypeable.test(s)));
    fuzz(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
        const { args, files } = throughShell(shell, cwd, words);
        expect({ args, files }).toEqual({ args: words, files: [] });
      }),
      { runs: 50 },
    );
  });
});

describe('NUL', () => {
  it('is refused with a clear error in every dialect: argv cannot hold it', () => {
    for (const dialect of ['sh', 'bash', 'zsh', 'fish', 'powershell', 'pwsh', 'cmd'] as const)
      expect(() => commandLine(['printf', 'a\0b'], dialect), dialect).toThrow(
        new ShellQuoteError('A NUL character cannot be passed: no program argument can hold one.'),
      );
  });
});
