/**
 * "Did you mean …?": the closest known word to a mistyped option, command, action id or
 * configuration key. In base/ because the CLI and the library (runtime/) both name it.
 */

/**
 * Edit distance (optimal string alignment): insertions, deletions, substitutions and swaps of
 * two neighbouring characters each cost 1, so `inptu` is one edit from `input`.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `word` (letter case ignored), or undefined when none is close
 * enough to be a plausible typo: at most 2 edits, or a third of the word's length for long
 * words. Ties go to the earlier candidate.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(w, c.toLowerCase());
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** The tail of an error message that offers the closest word: `; did you mean search_groups?` (empty when none is close). */
export const didYouMean = (suggestion: string | undefined): string => (suggestion ? `; did you mean ${suggestion}?` : '');
