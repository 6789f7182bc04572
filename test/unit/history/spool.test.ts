import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sweepScratch } from '../../../main/history/scratch-sweep.ts';
import { clockToMs, parseSpool, spoolLimits } from '../../../main/history/spool.ts';
import { bytes, fuzz, mutated } from '../../support/fuzz.ts';
import { tempDir } from '../../support/temp-dir.ts';

const bashRec = (line: string, start = '1700000000.123456') =>
  ['L2', 'sess', 'bash', 'h', 'u', start, '1700000001.000000', '0', '/tmp', line].map((f) => `${f}\0`).join('');
/** An L3 record as the zsh and fish hooks write it: the command's backslashes doubled, its NULs as \0. */
const escapeCommand = (cmd: string) => cmd.replaceAll('\\', '\\\\').replaceAll('\0', '\\0');
const rec = (cmd: string, start = '1700000000.123456', session = 'sess') =>
  ['L3', session, 'zsh', 'h', 'u', start, '1700000001.000000', '0', '/tmp', escapeCommand(cmd), '\\'].map((f) => `${f}\0`).join('');

describe('spool records', () => {
  it('parses complete records and leaves an unfinished one for later', () => {
    const whole = rec('echo "a\nb"') + rec('ls');
    const torn = Buffer.from(whole + rec('partial').slice(0, 20));
    const parsed = parseSpool(torn);
    expect(parsed.records.map((r) => r.command)).toEqual(['echo "a\nb"', 'ls']);
    expect(parsed.complete).toBe(Buffer.byteLength(whole));
    expect(parsed.records[1]!.offset).toBe(Buffer.byteLength(rec('echo "a\nb"')));
    expect(parsed.problems).toEqual([]);
  });

  it('skips damage and picks up at the next record', () => {
    const parsed = parseSpool(Buffer.from(`junk\0more junk\0${rec('ok')}`));
    expect(parsed.records.map((r) => r.command)).toEqual(['ok']);
    expect(parsed.problems).toHaveLength(2);
  });

  it("reads bash's records: the command and entry number from what `history 1` printed", () => {
    const all = bashRec('    7  \x01echo "a\nb"\n') + bashRec('123456* \x01ls \x01x\n') + bashRec('');
    const parsed = parseSpool(Buffer.from(all));
    expect(parsed.records.map((r) => [r.entry, r.command])).toEqual([
      [7, 'echo "a\nb"'],
      [123456, 'ls \x01x'],
    ]);
    // The empty one: bash had no entry to print (its history just cleared); nothing is wrong with the file.
    expect(parsed.problems).toEqual([]);
    expect(parsed.complete).toBe(Buffer.byteLength(all));
  });

  it('drops a bash record cut short between its writes and reads the next one whole', () => {
    const cut = bashRec('x').slice(0, -2); // the fields, but not the history line and its NUL
    const next = bashRec('   12  \x01echo next\n');
    const parsed = parseSpool(Buffer.from(cut + next));
    expect(parsed.records.map((r) => r.command)).toEqual(['echo next']);
    expect(parsed.records[0]!.offset).toBe(Buffer.byteLength(cut));
    expect(parsed.problems).toEqual(['skipped a record cut short at byte 0']);
  });

  it('keeps multibyte text intact', () => {
    expect(parseSpool(Buffer.from(rec('echo → café'))).records[0]!.command).toBe('echo → café');
  });

  // Row 9: zsh strings hold NUL, and an unescaped command forged a record with its own host, user and cwd.
  it('reads a command holding NUL, backslashes and record markers as one command', () => {
    const forged = `echo x\0L3\0evil\0zsh\0evil-host\0root\0\0\0\0/etc\0rm -rf /`;
    const parsed = parseSpool(Buffer.from(rec(forged) + rec('a\\0b\\\\')));
    expect(parsed.records.map((r) => [r.command, r.host, r.session])).toEqual([
      [forged, 'h', 'sess'],
      ['a\\0b\\\\', 'h', 'sess'],
    ]);
  });

  it('drops a whole file written by an older hook (L1, whose commands could forge records)', () => {
    const l1 = ['L1', 'sess', 'zsh', 'h', 'u', '1', '2', '0', '/tmp', 'echo x'].map((f) => `${f}\0`).join('');
    const parsed = parseSpool(Buffer.from(l1 + rec('forged')));
    expect(parsed.records).toEqual([]);
    expect(parsed.dropped).toBe(2);
    expect(parsed.problems.join('\n')).toMatch(/older than this version/);
  });

  it('drops a record over the size bound, counted, and reads on', () => {
    const parsed = parseSpool(Buffer.from(rec('x'.repeat(spoolLimits.maxRecordBytes)) + rec('ok')));
    expect(parsed.records.map((r) => r.command)).toEqual(['ok']);
    expect(parsed.dropped).toBe(1);
  });

  it('returns at most maxRecords and says where to go on', () => {
    const data = Buffer.from(rec('a') + rec('b') + rec('c'));
    const first = parseSpool(data, { ...spoolLimits, maxRecords: 2 });
    expect(first.records.map((r) => r.command)).toEqual(['a', 'b']);
    const rest = parseSpool(data, { ...spoolLimits, maxRecords: 2 }, first.complete);
    expect(rest.records.map((r) => [r.command, r.offset])).toEqual([['c', first.complete]]);
    expect(rest.complete).toBe(data.length);
  });

  const commands = ['ls', 'echo "a\nb"', 'x\0L3\0s\0zsh\0h\0u\0\0\0\0/\0y', 'back\\slash\\0', '→'];
  const records = commands.map((c, i) => rec(c, `170000000${i}.000000`, `s${i}`));

  it('never throws and stays fast on any bytes or damaged records (fuzz)', () => {
    const valid = Buffer.from(records.join('') + bashRec('   12  \x01echo b\n', '1700000009.000000'));
    fuzz(
      fc.property(fc.oneof(bytes(), mutated(valid)), (data) => {
        const started = performance.now();
        const parsed = parseSpool(data, { maxRecordBytes: 256, maxRecords: 1000 });
        expect(performance.now() - started).toBeLessThan(100);
        expect(parsed.complete).toBeLessThanOrEqual(data.length);
        for (const r of parsed.records) expect(r.offset).toBeLessThan(data.length);
      }),
    );
  });

  // What a killed shell leaves: records cut anywhere, then whatever other sessions' records follow (and torn
  // pieces of them). Every record read is one written, whole, with its own fields.
  it('reads only whole records, each with its own fields, from torn writes (fuzz)', () => {
    const piece = fc.tuple(fc.integer({ min: 0, max: records.length - 1 }), fc.option(fc.nat(), { nil: undefined }));
    fuzz(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const data = Buffer.from(
          pieces.map(([i, cut]) => (cut === undefined ? records[i]! : records[i]!.slice(0, cut % records[i]!.length))).join(''),
        );
        for (const r of parseSpool(data).records) {
          const i = Number(r.session.slice(1));
          expect([r.command, r.start, r.host, r.cwd]).toEqual([commands[i], `170000000${i}.000000`, 'h', '/tmp']);
        }
      }),
    );
  });

  it('reads shell clocks, including a comma decimal point', () => {
    expect(clockToMs('1700000000.123456')).toBeCloseTo(1_700_000_000_123.456, 3);
    expect(clockToMs('1700000000,5')).toBe(1_700_000_000_500);
    expect(clockToMs('1700000000')).toBe(1_700_000_000_000);
    expect(clockToMs('')).toBeNull();
  });
});

describe('scratch files of exited bash sessions', () => {
  it('removes those whose shell is gone and keeps the rest', async () => {
    const dir = tempDir();
    const exited = spawn(process.execPath, ['-e', '0']);
    const gone = await new Promise<number>((resolve) => exited.on('exit', () => resolve(exited.pid!)));
    const names = [`1700000000-${gone}-123.scratch`, `1700000000-${process.pid}-7.scratch`, `1700000000-${gone}-9.spool`, 'notes.txt'];
    for (const name of names) writeFileSync(path.join(dir, name), 'x');
    expect(sweepScratch(dir, names)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(names.slice(1).sort());
  });
});
