// What the trigram index holds for a command: its text lowered as search matches it (ASCII only), then padded
// with two characters so that every character, the last two included, starts a trigram. A query of one or two
// characters then finds its commands through the trigrams it begins, which the index can list.
import { asciiLower } from './text-match.ts';

/** The padding; a command holding these characters itself only gains candidates, which the text check drops. */
const gramPad = '\u0001\u0001';

/** Indexed text for a command; migration history.2 computes the same in SQL: lower(text) || char(1, 1). */
export function indexedText(command: string): string {
  return asciiLower(command) + gramPad;
}

/** Distinct trigrams of `text`, cut by code point as FTS5's trigram tokenizer does (it skips NUL characters). */
export function trigramsOf(text: string): string[] {
  const chars = Array.from(text.replaceAll('\0', ''));
  const grams = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  return [...grams];
}

/** One trigram as an FTS5 query term. (FTS5 reads its query as a C string: callers keep NUL out of it.) */
export function ftsTerm(gram: string): string {
  return `"${gram.replaceAll('"', '""')}"`;
}
