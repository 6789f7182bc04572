// Fuzzy matching for the cheat search: every query word must match a cheat's text as a subsequence;
// contiguous runs, word starts and title hits score higher (fzf's habits, much simplified).

/** Score one word against a text; null when the characters do not all appear in order. */
export function fuzzyScore(word: string, text: string): number | null {
  return scoreLowered(word.toLowerCase(), text.toLowerCase());
}

/** The same, both lowered already. Linear in the text: one indexOf for the word, then one pass for its letters. */
function scoreLowered(needle: string, hay: string): number | null {
  const exact = hay.indexOf(needle);
  if (exact >= 0) return 100 + needle.length * 4 - Math.min(exact, 50) / 10 + (exact === 0 || /\W/.test(hay[exact - 1]!) ? 20 : 0);
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const ch of needle) {
    const at = hay.indexOf(ch, from);
    if (at < 0) return null;
    score += at === previous + 1 ? 3 : at === 0 || /\W/.test(hay[at - 1]!) ? 2 : 1;
    previous = at;
    from = at + 1;
  }
  return score;
}

export interface Searchable {
  title: string;
  template: string;
  tags: string[];
  description: string;
  id: string;
}

/** The items matching every word of the query, best first; all of them, in order, for an empty query. */
export function fuzzyFilter<T extends Searchable>(items: T[], query: string): T[] {
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return items;
  const needles = words.map((word) => word.toLowerCase());
  const scored: { item: T; score: number }[] = [];
  for (const item of items) {
    // Lowered once per item, not once per word: a cheat file is outside input and its texts can be long.
    const fields: [text: string, weight: number][] = [
      [item.title.toLowerCase(), 3],
      [item.template.toLowerCase(), 2],
      [item.tags.join(' ').toLowerCase(), 2],
      [item.id.toLowerCase(), 1],
      [item.description.toLowerCase(), 1],
    ];
    let total = 0;
    for (const word of needles) {
      let best: number | null = null;
      for (const [text, weight] of fields) {
        const s = scoreLowered(word, text);
        if (s !== null) best = Math.max(best ?? 0, s * weight);
      }
      if (best === null) {
        total = -1;
        break;
      }
      total += best;
    }
    if (total >= 0) scored.push({ item, score: total });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.item);
}
