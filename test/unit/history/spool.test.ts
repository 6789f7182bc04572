import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepScratch } from '../../../main/history/scratch-sweep.ts';
import { clockToMs, parseSpool } from '../../../main/history/spool.ts';
import { tempDir } from '../../support/temp-dir.ts';

const bashRec = (line: string, start = '1700000000.123456') => ['L2', 'sess', 'bash', 'h', 'u', start, '1700000001.000000', '0', '/tmp', line].map((f) => `${f}\0`).join('');
const rec = (cmd: string, start = '1700000000.123456') => ['L1', 'sess', 'bash', 'h', 'u', start, '1700000001.000000', '0', '/tmp', cmd].map((f) => `${f}\0`).join('');

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
    expect(parsed.records.map((r) => [r.entry, r.command])).toEqual([[7, 'echo "a\nb"'], [123456, 'ls \x01x']]);
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
