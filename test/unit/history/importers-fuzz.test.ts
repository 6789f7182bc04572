// Every importer reads a file from outside: fuzzed, each never throws, stays bounded, and gives back exactly the
// commands a history written in its shell's own format holds. Bounds: a line, a file, the problems told.
import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportEvent } from '../../../main/history/contract.ts';
import { importFiles } from '../../../main/history/import.ts';
import { parseAtuin } from '../../../main/history/importers/atuin.ts';
import { parseBash } from '../../../main/history/importers/bash.ts';
import { parseFish } from '../../../main/history/importers/fish.ts';
import { importLimits, type ImportItem } from '../../../main/history/importers/lines.ts';
import { parseZsh } from '../../../main/history/importers/zsh.ts';
import { historyPaths } from '../../../main/history/paths.ts';
import { openHistoryDb } from '../../../main/history/store.ts';
import { bytes, fuzz, mutated } from '../../support/fuzz.ts';
import { tempDir } from '../../support/temp-dir.ts';

const runsOf = (items: Iterable<ImportItem>) =>
  [...items].flatMap((i) => (i.kind === 'run' ? [{ command: i.command, startedAt: i.startedAt }] : []));
/** Reads everything an importer yields, failing on any throw, and checks what it yields is well formed. */
function drained(items: Iterable<ImportItem>): void {
  for (const item of items) {
    if (item.kind === 'run') {
      expect(Buffer.byteLength(item.command)).toBeLessThanOrEqual(importLimits.commandBytes);
      expect(item.startedAt === null || Number.isSafeInteger(item.startedAt)).toBe(true);
    } else expect(item.message.length).toBeLessThan(400);
  }
}

/** A command as people type them: any text, one line or several, not blank, no CR (which ends a CRLF line). */
const command = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((c) => c.trim() !== '' && !c.includes('\r'));
const multiline = fc.array(command, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
const epoch = fc.integer({ min: 0, max: 4_000_000_000 });

const bashValid = Buffer.from('#1700000000\necho one\n#1700000005\nfor i in 1 2; do\n  echo $i\ndone\n#12abc\nplain\n');
const zshValid = Buffer.from(
  ': 1700000000:3;make test\n: 1700000001:0;echo "multi\\\nline"\n\\: colon\n: broken;x\n: 1700000002:1;echo \u2192\n',
);
const fishValid = Buffer.from(
  "- cmd: echo hello\n  when: 1700000000\n  paths:\n    - /tmp\n- cmd: printf 'a\\nb'\n  when: 1700000001\nstray\n",
);

describe('importers under fuzzing', () => {
  for (const [name, parse, valid] of [
    ['bash', parseBash, bashValid],
    ['zsh', parseZsh, zshValid],
    ['fish', parseFish, fishValid],
  ] as const) {
    it(`${name}: arbitrary and mutated files never throw`, () => {
      fuzz(fc.property(fc.oneof(bytes(), mutated(valid)), (data) => drained(parse(data))));
    });
  }

  it('bash: a HISTTIMEFORMAT history round-trips (multi-line commands, repeats, any text)', () => {
    // A line of a command that bash would take for a timestamp cannot be written by bash either.
    const bashCommand = multiline.filter((c) => c.split('\n').every((l) => !/^#\d/.test(l)));
    fuzz(
      fc.property(fc.array(fc.record({ at: epoch, command: bashCommand }), { maxLength: 20 }), (entries) => {
        const file = Buffer.from(entries.map((e) => `#${e.at}\n${e.command}\n`).join(''));
        expect(runsOf(parseBash(file))).toEqual(entries.map((e) => ({ command: e.command, startedAt: e.at * 1000 })));
      }),
    );
  });

  it('zsh: an extended history round-trips, metafied bytes and \\ continuations included', () => {
    const metafy = (data: Buffer) => Buffer.from([...data].flatMap((b) => (b === 0 || (b >= 0x83 && b <= 0xa2) ? [0x83, b ^ 0x20] : [b])));
    // A line ending in a backslash is where zsh's own format is ambiguous; NUL is allowed (zsh metafies it).
    const zshCommand = fc
      .array(
        fc.string({
          unit: fc.oneof(fc.constant('\0'), fc.constant('\u00e9'), fc.constant('\u2192'), fc.string({ minLength: 1, maxLength: 1 })),
          minLength: 1,
          maxLength: 30,
        }),
        { minLength: 1, maxLength: 3 },
      )
      .map((lines) => lines.join('\n'))
      .filter((c) => c.trim() !== '' && !c.includes('\r') && c.split('\n').every((l) => !l.endsWith('\\')));
    fuzz(
      fc.property(fc.array(fc.record({ at: epoch, elapsed: fc.nat(1000), command: zshCommand }), { maxLength: 20 }), (entries) => {
        const file = Buffer.concat(
          entries.map((e) =>
            Buffer.concat([
              Buffer.from(`: ${e.at}:${e.elapsed};`),
              metafy(Buffer.from(e.command.replaceAll('\n', '\\\n'))),
              Buffer.from('\n'),
            ]),
          ),
        );
        expect(runsOf(parseZsh(file))).toEqual(entries.map((e) => ({ command: e.command, startedAt: e.at * 1000 })));
      }),
    );
  });

  it("fish: its YAML-ish history round-trips with fish's escapes", () => {
    const encode = (c: string) => c.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
    fuzz(
      fc.property(fc.array(fc.record({ at: epoch, command: multiline }), { maxLength: 20 }), (entries) => {
        const file = Buffer.from(entries.map((e) => `- cmd: ${encode(e.command)}\n  when: ${e.at}\n  paths:\n    - /x\n`).join(''));
        expect(runsOf(parseFish(file))).toEqual(entries.map((e) => ({ command: e.command, startedAt: e.at * 1000 })));
      }),
    );
  });

  it("atuin: any values in a real SQLite file's rows never throw, and valid rows round-trip", () => {
    const dir = tempDir();
    const value = fc.oneof(
      fc.constant(null),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.double(),
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
    );
    let n = 0;
    fuzz(
      fc.property(
        fc.array(fc.tuple(value, value, value, value, value, value, value, value), { maxLength: 12 }),
        fc.array(fc.record({ at: fc.bigInt({ min: 0n, max: 4_000_000_000n * 10n ** 9n }), command }), { maxLength: 8 }),
        (hostile, valid) => {
          const file = path.join(dir, `atuin-${n++}.db`);
          const db = new BetterSqlite3(file);
          // Atuin's columns, without their type checks: SQLite keeps whatever a row holds.
          db.exec('CREATE TABLE history (id, timestamp, duration, exit, command, cwd, session, hostname, deleted_at)');
          const add = db.prepare('INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)');
          for (const row of hostile) add.run(...row);
          valid.forEach((v, i) => add.run(`valid-${i}`, v.at, 1_000_000n, 0, v.command, '/x', 's', 'host:user'));
          db.close();
          const items = [...parseAtuin(file)];
          drained(items);
          const got = items.flatMap((i) => (i.kind === 'run' && i.dedupe.startsWith('atuin:valid-') ? [i.dedupe] : []));
          expect(got.sort()).toEqual(valid.map((_, i) => `atuin:valid-${i}`).sort());
        },
      ),
      { runs: 60 },
    );
  });

  it('atuin: a file that is not a database is a clear error', () => {
    const file = path.join(tempDir(), 'history.db');
    writeFileSync(file, 'not sqlite at all');
    expect(() => [...parseAtuin(file)]).toThrow(/is not a readable atuin database/);
  });
});

describe('import bounds', () => {
  async function imported(files: Parameters<typeof importFiles>[2]): Promise<ImportEvent[]> {
    const paths = historyPaths(path.join(tempDir(), 'data'));
    const db = openHistoryDb(paths.dataDir);
    const events: ImportEvent[] = [];
    try {
      await importFiles(db, paths, files, (e) => events.push(e));
    } finally {
      db.close();
    }
    return events;
  }

  it('a line over 1 MiB is skipped with a problem, and the lines around it are read', async () => {
    const file = path.join(tempDir(), 'bash_history');
    writeFileSync(file, `before\n${'x'.repeat(importLimits.lineBytes + 10)}\nafter\n`);
    const events = await imported({ bash: file });
    expect(events.filter((e) => e.type === 'problem').map((e) => e.type === 'problem' && e.message)).toEqual([
      `line 2 is longer than ${importLimits.lineBytes} bytes; skipped`,
    ]);
    expect(events.find((e) => e.type === 'done')).toMatchObject({ read: 2, added: 2 });
  });

  it('a file over 1 GiB is refused without being read', async () => {
    const file = path.join(tempDir(), 'zsh_history');
    writeFileSync(file, '');
    truncateSync(file, importLimits.fileBytes + 1); // sparse: no disk used
    const events = await imported({ zsh: file });
    expect(events.find((e) => e.type === 'problem')).toMatchObject({
      line: 0,
      message: expect.stringContaining(`at most ${importLimits.fileBytes} bytes`),
    });
    expect(events.find((e) => e.type === 'done')).toMatchObject({ read: 0, added: 0 });
  });

  it('a problem on every line: the first 100 are told, the rest counted in one', async () => {
    const file = path.join(tempDir(), 'fish_history');
    writeFileSync(file, 'stray\n'.repeat(5000));
    const problems = (await imported({ fish: file })).filter((e) => e.type === 'problem');
    expect(problems).toHaveLength(importLimits.problems + 1);
    expect(problems.at(-1)).toMatchObject({ message: `${5000 - importLimits.problems} more problems not listed` });
  });

  it('zsh: a 1 MB line of backslashes is read in linear time', () => {
    const started = process.cpuUsage();
    drained(parseZsh(Buffer.from(`: 1:0;${'\\'.repeat(500_000)}x${'\\'.repeat(500_000)}y\n`)));
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(500);
  });
});
