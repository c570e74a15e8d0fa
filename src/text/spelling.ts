// Near misses in names a person typed (a tutorial, a task, an explain topic): how far two spellings
// are apart, and the one name close enough to suggest.

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}

/** The most mistakes a suggestion may correct: two, or a third of the word when it is long. */
export function suggestionLimit(word: string): number {
  return Math.max(2, Math.floor(word.length / 3));
}

/** The name closest to `word` within the suggestion limit, or undefined (the first one on a tie). */
export function nearestName(word: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = editDistance(word, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= suggestionLimit(word) ? best.name : undefined;
}
