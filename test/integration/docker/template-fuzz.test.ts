// The template check fuzzed against the shells themselves: random templates built from shell syntax (quotes,
// escapes, substitutions, comments, separators) around a placeholder. Whatever the check accepts is rendered
// with a hostile value and run by the real shell; the value must never run (no file appears), and must
// arrive whole inside one argument. What it refuses is never run. Plus linear time on 1 MB.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheatFileEntry, ShellDialect } from '../../../main/docker/contract.ts';
import { checkCheat, renderCheat } from '../../../main/docker/template.ts';
import { readTemplate } from '../../../main/docker/template-syntax.ts';
import { cpuMs, fuzz } from '../../support/fuzz.ts';
import { findPeer } from '../../support/peers.ts';
import { tempDir } from '../../support/temp-dir.ts';

const pieces = [
  ' ',
  ' ',
  'x',
  'a=b',
  ':',
  '/',
  "'",
  '"',
  '\\',
  '\\ ',
  '$',
  '${',
  '}',
  '$(',
  ')',
  '(',
  '`',
  '#',
  ';',
  '|',
  '&&',
  '{',
  ',',
  "$'",
  '<p>',
  '<p>',
  '<p>',
  'sh -c ',
  'eval ',
  '\n',
  '‘',
  '’',
  '^',
  '%',
  '~',
];
const value = 'v;touch X;$(touch Y)`touch Z`\'"\\ ‘’ %P% ^&|';

const shells: { dialect: ShellDialect; peer: string | null; flags: string[] }[] = [
  { dialect: 'sh', peer: findPeer('dash', 'apt-get install dash'), flags: ['-c'] },
  { dialect: 'bash', peer: findPeer('bash', 'apt-get install bash'), flags: ['--norc', '-c'] },
  { dialect: 'zsh', peer: findPeer('zsh', 'apt-get install zsh'), flags: ['-f', '-c'] },
  { dialect: 'fish', peer: findPeer('fish', 'apt-get install fish'), flags: ['--no-config', '-c'] },
];

const cheat = (template: string): CheatFileEntry => ({
  id: 't',
  title: 't',
  description: '',
  tags: [],
  danger: false,
  template,
  placeholders: [{ name: 'p', kind: 'text' }],
});

describe.each(shells)('templates the check accepts, run by $dialect', ({ dialect, peer, flags }) => {
  it.skipIf(!peer)('never run the value, and deliver it whole in one argument', () => {
    const cwd = tempDir();
    let accepted = 0;
    fuzz(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const template = `printf %s\\\\0 ${parts.join('')} <p>`;
        if (checkCheat(cheat(template)).length > 0) return;
        accepted++;
        const { command } = renderCheat(cheat(template), { p: value }, dialect);
        const run = spawnSync(peer!, [...flags, command], {
          cwd,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: tempDir(), LANG: 'C.UTF-8' },
          timeout: 10_000,
        });
        expect(readdirSync(cwd), `${dialect}: ${command}`).toEqual([]);
        // The last word is the placeholder alone: printf's last argument is the value, unchanged.
        // (A template the shell itself rejects, fish's `$’` say, prints nothing; after ; && | or a line break, <p> is no longer printf's.)
        if (run.stdout.includes('\0') && !/[;|&\n]/.test(parts.join('')))
          expect(run.stdout.split('\0').at(-2), `${dialect}: ${command}`).toBe(value);
      }),
      { runs: 150 },
    );
    expect(accepted).toBeGreaterThan(10);
  });
});

describe('the template reader', () => {
  it('reads an 8 KB adversarial template in linear time, and refuses longer ones', () => {
    // The best of three runs: the first pays for the JIT, and the machine is shared.
    for (const unit of ['<p> ', '"<p>', "'\\", '$(', '`<p>`', 'sh -c <p> ', 'pwsh -c <p> ', 'ssh h <p> ', '\\<p>']) {
      const template = unit.repeat(Math.floor(8192 / unit.length));
      for (const dialect of ['sh', 'fish', 'pwsh', 'cmd'] as const)
        expect(
          cpuMs(() => readTemplate(template, dialect)),
          `${unit} ${dialect}`,
        ).toBeLessThan(50);
    }
    expect(readTemplate('<p> '.repeat(262_144), 'sh').problems[0]!.message).toMatch(/at most 8192/);
    expect(cpuMs(() => readTemplate('<p> '.repeat(262_144), 'sh'))).toBeLessThan(50);
  });

  it('never throws on arbitrary text: property', () => {
    fuzz(
      fc.property(
        fc.string({
          unit: fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
          maxLength: 200,
        }),
        (template) => {
          for (const dialect of ['sh', 'bash', 'zsh', 'fish', 'powershell', 'pwsh', 'cmd'] as const) readTemplate(template, dialect);
        },
      ),
    );
  });
});
