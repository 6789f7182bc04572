// The sync key as words, to type on another machine: 256 bits and an 8-bit checksum (the first byte of its
// SHA-256, as BIP39 does) in 24 words of 11 bits each. The 2,048 words are made by a rule rather than listed:
// consonant, vowel, consonant, vowel ("bako", "tine"), each letter chosen to be easy to say and to type, so any
// word is checked by spelling alone and no list ships with the app.
import { createHash } from 'node:crypto';

const consonants = 'bdfghjklmnprstvz'; // 16: 4 bits
const vowels1 = 'aeio'; // 2 bits
const vowels2 = 'au'; // 1 bit
export const wordCount = 24;

function word(index: number): string {
  return consonants[index >> 7]! + vowels1[(index >> 5) & 3]! + consonants[(index >> 1) & 15]! + vowels2[index & 1]!;
}

function indexOf(w: string): number {
  const [a, b, c, d] = [
    consonants.indexOf(w[0] ?? ''),
    vowels1.indexOf(w[1] ?? ''),
    consonants.indexOf(w[2] ?? ''),
    vowels2.indexOf(w[3] ?? ''),
  ];
  if (w.length !== 4 || a < 0 || b < 0 || c < 0 || d < 0) return -1;
  return (a << 7) | (b << 5) | (c << 1) | d;
}

/** 32 bytes → 24 words. */
export function keyToWords(key: Uint8Array): string[] {
  if (key.length !== 32) throw new Error('a sync key is 32 bytes');
  const bits = Buffer.concat([Buffer.from(key), createHash('sha256').update(key).digest().subarray(0, 1)]);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    let v = 0;
    for (let b = 0; b < 11; b++) {
      const at = i * 11 + b;
      v = (v << 1) | ((bits[at >> 3]! >> (7 - (at & 7))) & 1);
    }
    words.push(word(v));
  }
  return words;
}

export class WordsError extends Error {}

/** 24 words (any spacing, any case) → the 32-byte key, or a WordsError saying what is wrong. */
export function wordsToKey(text: string): Buffer {
  const words = text
    .toLowerCase()
    .split(/[\s,;-]+/)
    .filter(Boolean);
  if (words.length !== wordCount) throw new WordsError(`A sync key is ${wordCount} words; this has ${words.length}.`);
  const bits = Buffer.alloc(33);
  words.forEach((w, i) => {
    const v = indexOf(w);
    if (v < 0) throw new WordsError(`Word ${i + 1} ("${w.slice(0, 20)}") is not a key word: check its spelling.`);
    for (let b = 0; b < 11; b++) {
      const at = i * 11 + b;
      if ((v >> (10 - b)) & 1) bits[at >> 3]! |= 1 << (7 - (at & 7));
    }
  });
  const key = bits.subarray(0, 32);
  if (createHash('sha256').update(key).digest()[0] !== bits[32])
    throw new WordsError('These words fail their checksum: one of them is mistyped or out of order.');
  return Buffer.from(key);
}
