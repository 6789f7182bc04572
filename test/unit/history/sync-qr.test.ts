// The QR encoder that shows the sync key. No QR reader is installed to judge it, so this test reads the code back
// the way a reader does, from the modules alone: finder patterns, format bits (BCH-checked, level M, which mask),
// the data modules in zigzag order unmasked, the blocks de-interleaved and their Reed–Solomon syndromes zero, and
// the byte-mode text equal to what went in.
import { describe, expect, it } from 'vitest';
import { qrMatrix, rsRemainder, rsDivisor } from '../../../main/history/sync/qr.ts';
import { keyToWords } from '../../../main/history/sync/words.ts';

const masks = [
  (x: number, y: number) => (x + y) % 2 === 0,
  (_x: number, y: number) => y % 2 === 0,
  (x: number) => x % 3 === 0,
  (x: number, y: number) => (x + y) % 3 === 0,
  (x: number, y: number) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0,
  (x: number, y: number) => ((x * y) % 2) + ((x * y) % 3) === 0,
  (x: number, y: number) => (((x * y) % 2) + ((x * y) % 3)) % 2 === 0,
  (x: number, y: number) => (((x + y) % 2) + ((x * y) % 3)) % 2 === 0,
];
// Level M, versions 1–10 (ISO/IEC 18004 table 9): [ECC codewords per block, blocks, total codewords].
const table: Record<number, [number, number, number]> = {
  1: [10, 1, 26],
  2: [16, 1, 44],
  3: [26, 1, 70],
  4: [18, 2, 100],
  5: [24, 2, 134],
  6: [16, 4, 172],
  7: [18, 4, 196],
  8: [22, 4, 242],
  9: [22, 5, 292],
  10: [26, 5, 346],
};

function alignmentCentres(ver: number, size: number): number[] {
  if (ver === 1) return [];
  const n = Math.floor(ver / 7) + 2;
  const step = Math.ceil((ver * 4 + 4) / (n * 2 - 2)) * 2;
  const pos = [6];
  for (let p = size - 7; pos.length < n; p -= step) pos.splice(1, 0, p);
  return pos;
}

function decode(m: boolean[][]): { text: string; level: number; syndromesZero: boolean } {
  const size = m.length;
  const ver = (size - 17) / 4;
  // Format bits, first copy, read back and BCH-checked against all 32 valid words.
  let raw = 0;
  const at = (x: number, y: number) => (m[y]![x] ? 1 : 0);
  const positions: [number, number][] = [];
  for (let i = 0; i <= 5; i++) positions.push([8, i]);
  positions.push([8, 7], [8, 8], [7, 8]);
  for (let i = 9; i < 15; i++) positions.push([14 - i, 8]);
  positions.forEach(([x, y], i) => {
    raw |= at(x, y) << i;
  });
  const format = raw ^ 0x5412;
  const data5 = format >>> 10;
  let rem = data5;
  for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537);
  if (((data5 << 10) | rem) !== format) throw new Error('format bits fail their BCH check');
  const level = data5 >>> 3;
  const mask = data5 & 7;
  // Function modules.
  const fn = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  const mark = (x: number, y: number) => {
    if (x >= 0 && y >= 0 && x < size && y < size) fn[y]![x] = true;
  };
  for (let i = 0; i < size; i++) {
    mark(6, i);
    mark(i, 6);
  }
  for (const [cx, cy] of [
    [3, 3],
    [size - 4, 3],
    [3, size - 4],
  ])
    for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) mark(cx! + dx, cy! + dy);
  const centres = alignmentCentres(ver, size);
  for (const [i, cx] of centres.entries())
    for (const [j, cy] of centres.entries()) {
      const last = centres.length - 1;
      if ((i === 0 && j === 0) || (i === 0 && j === last) || (i === last && j === 0)) continue;
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) mark(cx + dx, cy + dy);
    }
  for (const [x, y] of positions) mark(x, y);
  for (let i = 0; i < 8; i++) mark(size - 1 - i, 8);
  for (let i = 8; i < 15; i++) mark(8, size - 15 + i);
  mark(8, size - 8); // the dark module
  if (ver >= 7)
    for (let i = 0; i < 18; i++) {
      mark(size - 11 + (i % 3), Math.floor(i / 3));
      mark(Math.floor(i / 3), size - 11 + (i % 3));
    }
  const bits: number[] = [];
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5;
    for (let vert = 0; vert < size; vert++)
      for (let j = 0; j < 2; j++) {
        const x = right - j;
        const y = ((right + 1) & 2) === 0 ? size - 1 - vert : vert;
        if (!fn[y]![x]) bits.push(at(x, y) ^ (masks[mask]!(x, y) ? 1 : 0));
      }
  }
  const [eccLen, blocks, total] = table[ver]!;
  const cw: number[] = [];
  for (let i = 0; i + 8 <= total * 8; i += 8) cw.push(bits.slice(i, i + 8).reduce((a, b) => (a << 1) | b, 0));
  const shortLen = Math.floor(total / blocks);
  const numShort = blocks - (total % blocks);
  const dataLens = Array.from({ length: blocks }, (_, b) => shortLen - eccLen + (b < numShort ? 0 : 1));
  const split: number[][] = dataLens.map(() => []);
  let k = 0;
  for (let i = 0; i < Math.max(...dataLens); i++) for (let b = 0; b < blocks; b++) if (i < dataLens[b]!) split[b]!.push(cw[k++]!);
  for (let i = 0; i < eccLen; i++) for (let b = 0; b < blocks; b++) split[b]!.push(cw[k++]!);
  const divisor = rsDivisor(eccLen);
  const syndromesZero = split.every((block, b) =>
    rsRemainder(block.slice(0, dataLens[b]), divisor).every((v, i) => v === block[dataLens[b]! + i]),
  );
  const data = split.flatMap((block, b) => block.slice(0, dataLens[b]));
  const stream = data.flatMap((byte) => Array.from({ length: 8 }, (_, i) => (byte >>> (7 - i)) & 1));
  const read = (from: number, len: number) => stream.slice(from, from + len).reduce((a, b) => (a << 1) | b, 0);
  if (read(0, 4) !== 0b0100) throw new Error('not byte mode');
  const countBits = ver <= 9 ? 8 : 16;
  const n = read(4, countBits);
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) out[i] = read(4 + countBits + i * 8, 8);
  return { text: out.toString('utf8'), level, syndromesZero };
}

describe('QR code of the sync key', () => {
  it('reads back: finder patterns, level M, a valid mask, zero syndromes, the same text', () => {
    for (const text of ['a', 'HELLO WORLD', keyToWords(Buffer.alloc(32, 0xa5)).join(' '), 'x'.repeat(150)]) {
      const m = qrMatrix(text);
      const size = m.length;
      expect((size - 17) % 4).toBe(0);
      // The top-left finder: a dark 7×7 ring, a light ring, a dark 3×3 core.
      expect([0, 1, 2, 3, 4, 5, 6].map((i) => m[0]![i])).toEqual(Array(7).fill(true));
      expect([m[1]![1], m[2]![2], m[3]![3], m[size - 1]![0], m[0]![size - 1]]).toEqual([false, true, true, true, true]);
      const decoded = decode(m);
      expect(decoded).toEqual({ text, level: 0, syndromesZero: true });
    }
  });
});
