// The sync segment format and key words: a round trip; any damage, truncation, foreign key or header swap is
// refused before a record is read; the reader is linear and never throws anything but its own errors on hostile
// bytes (fuzzed); the words carry a checksum.
import { brotliCompressSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecords, RecordsError, type SegmentRecords } from '../../../main/history/sync/records.ts';
import { open, readHeader, seal, SegmentError } from '../../../main/history/sync/seal.ts';
import { keyToWords, wordsToKey, WordsError } from '../../../main/history/sync/words.ts';
import { bytes, cpuMs, fuzz, mutated } from '../../support/fuzz.ts';

const key = Buffer.alloc(32, 1);
const hostId = Buffer.alloc(16, 2);
const records: SegmentRecords = {
  hostName: 'laptop',
  runs: [
    {
      uid: Buffer.alloc(16, 3),
      command: 'git status',
      startedAt: 1_700_000_000_000,
      durationMs: 12,
      exit: 0,
      cwd: '/src',
      session: 's',
      host: 'laptop',
      user: 'me',
      shell: 'zsh',
      source: 'hook',
    },
    {
      uid: Buffer.alloc(16, 4),
      command: 'é → "q"\n',
      startedAt: 1_600_000_000_000,
      durationMs: null,
      exit: null,
      cwd: null,
      session: null,
      host: null,
      user: null,
      shell: null,
      source: 'bash',
    },
  ],
  tombstones: [
    { uid: Buffer.alloc(16, 5), kind: 'delete', text: null, at: 5 },
    { uid: Buffer.alloc(16, 6), kind: 'redact', text: 'x ‹redacted›', at: 6 },
  ],
  settings: { at: 7, defaultSecrets: false, extraSecrets: ['acme-[0-9]+'], secretAction: 'drop' },
};
const sealed = seal(key, { compression: 1, hostId, seqFrom: 7, seqTo: 11 }, encodeRecords(records));

/** What a reader does with a file: open, then decode; only its own errors may come out. */
function read(file: Buffer): SegmentRecords | 'refused' {
  try {
    const { header, body } = open(key, file);
    return decodeRecords(body, header.compression, header.seqTo - header.seqFrom + 1);
  } catch (error) {
    if (error instanceof SegmentError || error instanceof RecordsError) return 'refused';
    throw error;
  }
}

describe('sync segments', () => {
  it('round-trip with brotli and deflate', () => {
    expect(read(sealed)).toEqual(records);
    const deflated = seal(key, { compression: 2, hostId, seqFrom: 1, seqTo: 5 }, encodeRecords(records, 2));
    const { header, body } = open(key, deflated);
    expect(decodeRecords(body, header.compression, 5)).toEqual(records);
  });

  it('refuses a truncated file, a flipped byte anywhere, and tells a foreign key apart', () => {
    for (const cut of [0, 10, 46, 100, sealed.length - 1]) expect(read(sealed.subarray(0, cut)), `cut at ${cut}`).toBe('refused');
    for (let at = 0; at < sealed.length; at++) {
      const t = Buffer.from(sealed);
      t[at]! ^= 0x40;
      expect(read(t), `byte ${at}`).toBe('refused');
    }
    expect(() => open(Buffer.alloc(32, 9), sealed)).toThrow(expect.objectContaining({ kind: 'wrong-key' }));
    // The host id and seq range are authenticated: a header rewritten to another host or range does not open.
    const moved = Buffer.from(sealed);
    moved.writeBigUInt64BE(8n, 30);
    expect(() => open(key, moved)).toThrow(expect.objectContaining({ kind: 'damaged' }));
    expect(readHeader(sealed)).toMatchObject({ seqFrom: 7, seqTo: 11, hostId });
  });

  it('a body whose record count disagrees with the header is refused', () => {
    const wrongCount = seal(key, { compression: 1, hostId, seqFrom: 1, seqTo: 9 }, encodeRecords(records));
    expect(read(wrongCount)).toBe('refused');
  });

  it('fuzz: random and mutated files are refused or read, never anything else', () => {
    fuzz(fc.property(fc.oneof(bytes(), mutated(sealed)), (file) => void read(file)));
  });

  it('fuzz: authentic but hostile bodies (mutated record JSON) are refused or read whole', () => {
    const json = Buffer.from(
      JSON.stringify({
        v: 1,
        host: 'h',
        runs: { u: '', c: [], a: [], d: [], x: [], w: [], e: [], h: [], n: [], l: [], o: [] },
        tomb: { u: '', k: '', t: [], a: [] },
      }),
    );
    fuzz(
      fc.property(mutated(json), (body) => {
        try {
          decodeRecords(brotliCompressSync(body), 1, 0);
        } catch (error) {
          if (!(error instanceof RecordsError)) throw error;
        }
      }),
      { runs: 100 },
    );
  });

  it('reads in linear time: 16× the records costs about 16× the CPU, not 256×', () => {
    const many = (n: number) => {
      const runs = Array.from({ length: n }, (_, i) => ({ ...records.runs[0]!, uid: Buffer.alloc(16, i % 256), command: `cmd ${i}` }));
      return seal(
        key,
        { compression: 1, hostId, seqFrom: 1, seqTo: n },
        encodeRecords({ hostName: 'h', runs, tombstones: [], settings: null }),
      );
    };
    const small = many(1000);
    const big = many(16_000);
    const ratio =
      cpuMs(() => read(big), 5) /
      Math.max(
        0.5,
        cpuMs(() => read(small), 5),
      );
    // Linear is 16; quadratic would be 256. The bound leaves room for the big read's garbage collection, which
    // made a 3× bound fail once on CI (55×).
    expect(ratio).toBeLessThan(96);
  });
});

describe('sync key words', () => {
  it('round-trip 24 words with a checksum; a typo or a swap is caught', () => {
    fuzz(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (k) => {
        const words = keyToWords(k);
        expect(words).toHaveLength(24);
        expect(wordsToKey(words.join(' ')).equals(Buffer.from(k))).toBe(true);
        expect(wordsToKey(`  ${words.join('\n').toUpperCase()} `).equals(Buffer.from(k))).toBe(true);
      }),
      { runs: 100 },
    );
    const words = keyToWords(key);
    expect(() => wordsToKey(words.slice(1).join(' '))).toThrow(/24 words/);
    expect(() => wordsToKey(['xxxx', ...words.slice(1)].join(' '))).toThrow(/Word 1/);
    const swapped = [words[1], words[0], ...words.slice(2)];
    if (swapped[0] !== swapped[1]) expect(() => wordsToKey(swapped.join(' '))).toThrow(WordsError);
  });
});
