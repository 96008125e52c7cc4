/**
 * "Did you mean ...?": the known words closest to a mistyped one, by
 * Damerau–Levenshtein distance, close enough to be a typo (at most a
 * third of the word, and never more than 3 edits).
 *
 * @module
 */

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidates nearest to `word` (ties all kept, in the given order), or
 * none when nothing is close.
 *
 * @example
 * ```ts
 * suggestSimilar("insret", ["insert", "extract"]); // ["insert"]
 * ```
 */
export function suggestSimilar(word: string, candidates: readonly string[]): string[] {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best = Infinity;
  let out: string[] = [];
  for (const c of new Set(candidates)) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist > limit || dist > best) continue;
    if (dist < best) out = [];
    best = dist;
    out.push(c);
  }
  return out;
}

/** ` (did you mean x?)` for the nearest candidates, or `""` when none is near. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const near = suggestSimilar(word, candidates);
  return near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : "";
}
