// What the trigram index can do for a query's text: an FTS5 expression whose commands include every match (the
// exact text condition then drops the rest), and, from the trigram counts, what using it may cost.
import type { SearchMode } from '../contract.ts';
import type { Database } from '../../system/database.ts';
import { cachedStatement } from '../../system/statements.ts';
import { ftsTerm, trigramsOf } from './trigrams.ts';

export interface TextIndex {
  /** The index yields at most about this many commands (trigram counts; they drift up a little after deletes). */
  upper: number;
  /** Whether reading the first few candidates is cheap: an AND stops early, an OR of many terms does not. */
  probe: boolean;
  /** The FTS5 expression, or null when no command can match. Listing terms can cost, so it is built when used. */
  match(): string | null;
}

/** Intersecting the rarest few trigrams is nearly as narrow as all of them and far cheaper than the common ones. */
const intersected = 3;

/** For a query already lowered as search matches it; null when the index cannot narrow it. */
export function textIndex(db: Database, mode: SearchMode, lowered: string): TextIndex | null {
  if (lowered === '' || lowered.includes('\0')) return null;
  if (mode === 'fuzzy') return rarestCharacter(db, lowered);
  return [...lowered].length < 3 ? startingWith(db, lowered) : rarestTrigrams(db, lowered);
}

function rarestTrigrams(db: Database, lowered: string): TextIndex {
  const grams = trigramsOf(lowered);
  const counted = new Map(
    cachedStatement(db, 'SELECT gram, docs FROM history_trigram_docs WHERE gram IN (SELECT value FROM json_each(?))')
      .raw()
      .all(JSON.stringify(grams)) as [string, number][],
  );
  const rarest = grams
    .map((gram) => ({ gram, docs: counted.get(gram) ?? 0 }))
    .sort((a, b) => a.docs - b.docs)
    .slice(0, intersected);
  const match = rarest.map((t) => ftsTerm(t.gram)).join(' AND ');
  return { upper: rarest[0]!.docs, probe: true, match: () => match };
}

/**
 * A query of one or two characters: every occurrence starts a trigram of the padded text, so its commands are
 * those of the trigrams it begins. Their counts add up to more than that (a command can hold several).
 */
function startingWith(db: Database, prefix: string): TextIndex {
  let match: string | null | undefined;
  return {
    upper: cachedStatement(db, "SELECT total(docs) FROM history_trigram_docs WHERE gram >= @p AND gram < @p || x'ff'")
      .pluck()
      .get({ p: prefix }) as number,
    probe: false,
    match() {
      if (match === undefined) {
        // Listed from the index itself, not the counts: a missed term would be a missed command.
        const terms = cachedStatement(db, "SELECT term FROM history_trigram_terms WHERE term >= @p AND term < @p || x'ff'")
          .pluck()
          .all({ p: prefix }) as string[];
        match = terms.length === 0 ? null : terms.map(ftsTerm).join(' OR ');
      }
      return match;
    },
  };
}

/** Fuzzy: a command must hold every character of the query, so the commands holding the rarest one will do. */
function rarestCharacter(db: Database, lowered: string): TextIndex {
  return [...new Set(lowered)].map((ch) => startingWith(db, ch)).reduce((a, b) => (b.upper < a.upper ? b : a));
}
