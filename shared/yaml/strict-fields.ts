// Strict schemas for Flotilla's own file kinds: a field the schema does not know is an error (a typo must not be
// silently ignored), with the closest known field as a "did you mean".

/** Levenshtein distance between two strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[t.length]!;
}

/** The known word closest to `word`, when it is close enough to be a typo (at most a third of its length, min 2). */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The keys of `value` its schema does not know, each with a message: `unknown field "clusterz" (did you mean "clusters"?)`. */
export function unknownFields(value: Readonly<Record<string, unknown>>, known: readonly string[]): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const guess = didYouMean(key, known);
    out.push({ key, message: `unknown field "${key}"${guess ? ` (did you mean "${guess}"?)` : ` (expected one of ${known.join(', ')})`}` });
  }
  return out;
}
