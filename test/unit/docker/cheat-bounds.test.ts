// Cheat files from outside are bounded: file size, cheats per file, line length, placeholders per cheat, files
// per import and user files in the library; what is left out is reported, what is within bounds still loads.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cheatBounds } from '../../../main/docker/cheat-bounds.ts';
import { loadCheats, userCheatsDir } from '../../../main/docker/cheats.ts';
import { importCheats } from '../../../main/docker/import/import.ts';
import { parseNavi } from '../../../main/docker/import/navi.ts';
import { parseTldr } from '../../../main/docker/import/tldr.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { cpuMs } from '../../support/fuzz.ts';

const naviCheat = (i: number) => `# Cheat ${i}\ndocker logs <container>\n`;

describe('cheat imports are bounded', () => {
  it('a file over the size cap is skipped with its size; the files beside it import', () => {
    const home = tempDir();
    const from = path.join(home, 'navi');
    mkdirSync(from);
    writeFileSync(path.join(from, 'big.cheat'), `% docker\n${naviCheat(1)}${'#'.repeat(cheatBounds.fileBytes)}\n`);
    writeFileSync(path.join(from, 'small.cheat'), naviCheat(1));
    const result = importCheats(home, 'navi', from);
    expect(result.imported).toEqual(['navi-small-1']);
    expect(result.skipped).toEqual([
      expect.stringMatching(/big\.cheat is 2048 kB, larger than 2048 kB, the most Lanyard reads of one cheat file/),
    ]);
  });

  it(`at most ${cheatBounds.cheatsPerFile} cheats from one file, the rest counted`, () => {
    const home = tempDir();
    const file = path.join(home, 'many.cheat');
    writeFileSync(file, Array.from({ length: 600 }, (_, i) => naviCheat(i)).join('\n'));
    const result = importCheats(home, 'navi', file);
    expect(result.imported).toHaveLength(500);
    expect(result.skipped).toEqual([`${file}: 600 cheats, more than 500: the last 100 were skipped`]);
  });

  it('a line over the length cap is skipped and counted; the cheats around it parse', () => {
    const problems: string[] = [];
    const cheats = parseNavi(`${naviCheat(1)}\n# long\ndocker run ${'x'.repeat(cheatBounds.lineChars)}\n\n${naviCheat(2)}`, 'f', problems);
    expect(cheats.map((c) => c.title)).toEqual(['Cheat 1', 'Cheat 2']);
    expect(problems).toEqual([`1 line longer than ${cheatBounds.lineChars} characters skipped`]);
    const tldrProblems: string[] = [];
    expect(parseTldr(`# x\n- a:\n\`docker ${'y'.repeat(5000)}\`\n- b:\n\`docker ps\`\n`, 'x', tldrProblems).map((c) => c.template)).toEqual(
      ['docker ps'],
    );
    expect(tldrProblems).toHaveLength(1);
  });

  it(`a cheat with more than ${cheatBounds.placeholdersPerCheat} placeholders is skipped, naming the count`, () => {
    const home = tempDir();
    const file = path.join(home, 'wide.cheat');
    writeFileSync(file, `# wide\ndocker run ${Array.from({ length: 40 }, (_, i) => `<p${i}>`).join(' ')}\n\n${naviCheat(2)}`);
    const result = importCheats(home, 'navi', file);
    expect(result.imported).toEqual(['navi-wide-2']);
    expect(result.skipped).toEqual([`${file}: navi-wide-1: 40 placeholders, more than 32`]);
  });

  it(`a folder walk stops after ${cheatBounds.filesPerImport} files and says so`, () => {
    const home = tempDir();
    const from = path.join(home, 'pages');
    mkdirSync(path.join(from, 'deep'), { recursive: true });
    for (let i = 0; i <= cheatBounds.filesPerImport; i++) writeFileSync(path.join(from, i % 2 ? 'deep' : '', `p${i}.md`), '# p\n');
    const result = importCheats(home, 'tldr', from);
    expect(result.skipped).toEqual([
      `${from}: more than ${cheatBounds.filesPerImport} .md files; only the first ${cheatBounds.filesPerImport} found were imported`,
    ]);
  });
});

describe('the cheat library bounds user files', () => {
  const entry = (id: string) => ({ id, title: id, description: '', tags: [], template: 'docker ps', placeholders: [] });

  it('an oversized user file and the cheats past the per-file cap are problems, not load failures', () => {
    const home = tempDir();
    const dir = userCheatsDir(home);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'huge.json'), JSON.stringify({ cheats: [entry('huge')], pad: 'x'.repeat(cheatBounds.fileBytes) }));
    writeFileSync(path.join(dir, 'many.json'), JSON.stringify({ cheats: Array.from({ length: 501 }, (_, i) => entry(`many-${i}`)) }));
    const library = loadCheats(home);
    expect(library.cheats.filter((c) => c.id.startsWith('many-'))).toHaveLength(500);
    expect(library.cheats.find((c) => c.id === 'huge')).toBeUndefined();
    expect(library.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/huge\.json is 2048 kB, larger than 2048 kB/),
        `${path.join(dir, 'many.json')}: 501 cheats, more than 500: the last 1 were skipped`,
      ]),
    );
  });
});

describe('the navi and tldr parsers stay linear on hostile lines', () => {
  // Each line just under the length cap, shaped against the patterns the parsers used: `$ ` + spaces with no
  // colon, a colon and ` --- ` runs, backslash continuations of spaces, `{{[` runs, `{{` without `}}`, dash runs.
  const line = (unit: string) => unit.repeat(Math.floor((cheatBounds.lineChars - 2) / unit.length));
  const hostile = [
    `$ ${line(' ')}`,
    `$ a:${line(' --- ')}`,
    `docker ${line(' ')}\\`,
    line('{{['),
    line('{{a|'),
    `<${line('-')}>`,
    `- ${line('{{-')}:`,
    `\`${line('{{')}\``,
  ];

  const timed = (run: () => void) => cpuMs(run, 1);

  it('2 MB of them parse in well under a second', () => {
    const text = Array.from(
      { length: Math.floor(cheatBounds.fileBytes / cheatBounds.lineChars) },
      (_, i) => hostile[i % hostile.length],
    ).join('\n');
    for (const parse of [parseNavi, parseTldr]) expect(timed(() => parse(text, 'hostile', []))).toBeLessThan(500);
  });

  it('one 1 MB line of each shape is skipped by the length guard at once (the old patterns took 7-18 s on 100 kB ones)', () => {
    for (const unit of [' ', ' --- ', '{{[', '{{a|', '-', '{{']) {
      const long = unit.repeat(Math.ceil(1_000_000 / unit.length));
      for (const text of [`$ ${long}`, `$ a:${long}`, `docker ${long}\\\nx`, `- a:\n\`${long}\``, `<${long}>`]) {
        const problems: string[] = [];
        expect(timed(() => parseNavi(text, 'hostile', problems))).toBeLessThan(100);
        expect(timed(() => parseTldr(text, 'hostile', problems))).toBeLessThan(100);
        expect(problems.length).toBeGreaterThan(0);
      }
    }
  });
});
