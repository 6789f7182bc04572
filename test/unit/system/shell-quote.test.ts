// PowerShell and cmd.exe cannot be installed here: their quoting is checked by table (input → expected text,
// from their documented parsing rules) and by a model of those rules run over every hostile value and a
// property. The POSIX shells and fish are judged by the real shells in test/integration/system.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchLine,
  commandLine,
  dialectOf,
  envCommandLine,
  powershellString,
  quoteArg,
  ShellQuoteError,
} from '../../../main/system/shell-quote.ts';
import { fuzz } from '../../support/fuzz.ts';
import { hostileWords } from '../../support/hostile-words.ts';

/** CommandLineToArgvW / the MSVC runtime (2008+): how a Windows program splits its command line. */
function msvcrtArgv(line: string): string[] {
  const args: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) return args;
    let arg = '';
    let quoted = false;
    while (i < line.length && (quoted || (line[i] !== ' ' && line[i] !== '\t'))) {
      if (line[i] === '\\') {
        let k = 0;
        while (line[i + k] === '\\') k++;
        if (line[i + k] === '"') {
          arg += '\\'.repeat(Math.floor(k / 2));
          i += k;
          if (k % 2 === 1) (arg += '"'), i++;
        } else (arg += '\\'.repeat(k)), (i += k);
      } else if (line[i] === '"') {
        if (quoted && line[i + 1] === '"') (arg += '"'), (i += 2);
        else (quoted = !quoted), i++;
      } else arg += line[i++];
    }
    args.push(arg);
  }
}

const psQuotes = "'\u2018\u2019\u201a\u201b";

/** A PowerShell single-quoted literal's value (a doubled quote character is one), or a bare word's. */
function powershellValue(text: string): string {
  if (!psQuotes.includes(text[0]!)) return text;
  expect(psQuotes.includes(text.at(-1)!)).toBe(true);
  let out = '';
  for (let i = 1; i < text.length - 1; i++) {
    if (psQuotes.includes(text[i]!)) expect(psQuotes.includes(text[i + 1]!), `unpaired quote in ${text}`).toBe(true), i++;
    out += text[i];
  }
  return out;
}

/** Windows PowerShell 5.1's legacy native argument passing: wrap in "…" when whitespace sits outside its quote count, inner " left alone. */
function legacyPass(value: string): string {
  let quotes = 0;
  let needs = false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '"' && value[i - 1] !== '\\') quotes++;
    else if (/\s/.test(value[i]!) && quotes % 2 === 0) needs = true;
  }
  return needs ? `"${value}"` : value;
}

/** cmd.exe on a command line: no quote state ever opens (every " is ^"), each ^ makes the next character literal; nothing is left to expand or operate. */
function cmdRead(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '^') out += text[++i] ?? '';
    else {
      expect('()%!"<>&|'.includes(ch), `unescaped ${ch} in ${text}`).toBe(false);
      out += ch;
    }
  }
  return out;
}

describe('PowerShell 7.3+ (pwsh): single-quoted literals, which it passes to programs escaped itself', () => {
  it.each([
    ['web-1', 'web-1'],
    ['', "''"],
    ["it's", "'it''s'"],
    ['a\u2019b', "'a\u2019\u2019b'"],
    ['$(calc)', "'$(calc)'"],
    ['@args', "'@args'"],
    ['-x', "'-x'"],
    ['`n', "'`n'"],
    ['x" --privileged "', `'x" --privileged "'`],
    ['--%', "'--%'"],
    ['1kb', "'1kb'"],
    ['0x10', "'0x10'"],
    ['.5', "'.5'"],
    ['a,b', "'a,b'"],
    ['%PATH%', "'%PATH%'"],
  ])('%j → %s', (word, quoted) => expect(quoteArg(word, 'pwsh')).toBe(quoted));
});

describe('Windows PowerShell 5.1: the program’s own quoting inside a literal, since it passes inner quotes on as they are', () => {
  it.each([
    ['web-1', 'web-1'],
    ['', `'""'`],
    ['x" --privileged "', `'"x\\" --privileged \\""'`],
    ['a b', `'"a b"'`],
    ['trailing\\', `'"trailing\\\\"'`],
    ['a\\\\"b', `'"a\\\\\\\\\\"b"'`],
    ['C:\\Program Files\\x', `'"C:\\Program Files\\x"'`],
    ["it's", `'"it''s"'`],
    ['-x', `'"-x"'`],
  ])('%j → %s', (word, quoted) => expect(quoteArg(word, 'powershell')).toBe(quoted));

  it('delivers every hostile value to the program as one argument (model: literal → legacy passing → CommandLineToArgvW)', () => {
    for (const word of hostileWords)
      expect(msvcrtArgv(legacyPass(powershellValue(quoteArg(word, 'powershell')))), JSON.stringify(word.slice(0, 40))).toEqual([word]);
  });

  it('and any string: property', () => {
    fuzz(
      fc.property(
        fc
          .string({ unit: fc.oneof(fc.constantFrom(...'"\\\' \t`$‘’“”'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) })
          .filter((s) => !s.includes('\0')),
        (word) => {
          expect(msvcrtArgv(legacyPass(powershellValue(quoteArg(word, 'powershell'))))).toEqual([word]);
          expect(powershellValue(quoteArg(word, 'pwsh'))).toBe(word);
        },
      ),
    );
  });
});

describe('cmd.exe: the program’s own quoting, then every metacharacter (the quotes too) caret-escaped', () => {
  it.each([
    ['web-1', 'web-1'],
    ['', '^"^"'],
    ['x" --privileged "', '^"x\\^" --privileged \\^"^"'],
    ['%PATH%', '^"^%PATH^%^"'],
    ['a & calc', '^"a ^& calc^"'],
    ['!x!', '^"^!x^!^"'],
    ['^', '^"^^^"'],
    ['a|b<c>d', '^"a^|b^<c^>d^"'],
    ['(x)', '^"^(x^)^"'],
  ])('%j → %s', (word, quoted) => expect(quoteArg(word, 'cmd')).toBe(quoted));

  it('delivers every hostile value (line breaks refused) as one argument (model: caret removal → CommandLineToArgvW)', () => {
    for (const word of hostileWords) {
      if (/[\r\n]/.test(word)) expect(() => quoteArg(word, 'cmd')).toThrow(ShellQuoteError);
      else expect(msvcrtArgv(cmdRead(quoteArg(word, 'cmd'))), JSON.stringify(word.slice(0, 40))).toEqual([word]);
    }
  });

  it('and any string: property', () => {
    fuzz(
      fc.property(
        fc
          .string({ unit: fc.oneof(fc.constantFrom(...'"\\^%!&|<>() \t'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) })
          .filter((s) => !/[\0\r\n]/.test(s)),
        (word) => {
          expect(msvcrtArgv(cmdRead(quoteArg(word, 'cmd')))).toEqual([word]);
        },
      ),
    );
  });

  it('quotes the program by its path and refuses one cmd would expand', () => {
    expect(commandLine(['C:\\Program Files\\Docker\\docker.exe', 'ps'], 'cmd')).toBe('"C:\\Program Files\\Docker\\docker.exe" ps');
    expect(() => commandLine(['C:\\%TEMP%\\x.exe'], 'cmd')).toThrow(/cannot start a program whose path holds/);
  });

  it('writes batch-file lines with %% for a percent sign', () => {
    expect(batchLine(['C:\\a&b %x%\\node.exe', "C:\\it's\\cli.js", 'tzsp'], '%*')).toBe(
      `"C:\\a&b %%x%%\\node.exe" ^"C:\\it's\\cli.js^" tzsp %*`,
    );
  });
});

describe('command lines and dialects', () => {
  it('runs a quoted program with the call operator in PowerShell', () => {
    expect(commandLine(['C:\\Program Files\\x.exe', 'a b'], 'pwsh')).toBe("& 'C:\\Program Files\\x.exe' 'a b'");
    expect(commandLine(['docker', 'ps'], 'powershell')).toBe('docker ps');
  });

  it('keeps PowerShell assignments literal', () => {
    expect(powershellString("C:\\it's $HOME")).toBe("'C:\\it''s $HOME'");
  });

  it('knows each shell by its program, whatever the path or separator', () => {
    expect(
      [
        '/bin/dash',
        '/usr/bin/bash',
        '/bin/zsh',
        '/usr/local/bin/fish',
        'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
        'C:\\Windows\\system32\\cmd.exe',
        '/bin/busybox',
        '/usr/bin/tcsh',
        'nu',
      ].map(dialectOf),
    ).toEqual(['sh', 'bash', 'zsh', 'fish', 'powershell', 'pwsh', 'cmd', 'sh', null, null]);
  });
});

describe('envCommandLine: a command with extra environment variables, per dialect', () => {
  const env = [['CA_FILE', "/ca/it's here/root.pem"]] as const;
  it('prefixes NAME=value for sh, bash, zsh and fish', () => {
    expect(envCommandLine(env, ['certbot', 'renew'], 'bash')).toBe("CA_FILE='/ca/it'\\''s here/root.pem' certbot renew");
    expect(envCommandLine(env, ['certbot', 'renew'], 'fish')).toBe("CA_FILE='/ca/it\\'s here/root.pem' certbot renew");
    expect(envCommandLine([], ['node', 'app.js'], 'sh')).toBe('node app.js');
  });
  it('sets $env:NAME first in PowerShell, and `set NAME=value&&` (caret-escaped) in cmd.exe', () => {
    expect(envCommandLine(env, ['lego', 'run'], 'pwsh')).toBe("$env:CA_FILE = '/ca/it''s here/root.pem'; lego run");
    expect(envCommandLine([['A', 'x&y"%PATH%']], ['lego', 'run'], 'cmd')).toBe('set A=x^&y^"^%PATH^%&& lego run');
    expect(() => envCommandLine([['A', 'two\nlines']], ['lego'], 'cmd')).toThrow(ShellQuoteError);
  });
  it('refuses a name that is not a variable name', () => {
    expect(() => envCommandLine([['A;touch X', 'v']], ['lego'], 'bash')).toThrow(ShellQuoteError);
  });
});
