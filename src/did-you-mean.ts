// Near-miss suggestions ("did you mean `critique`?"), by optimal string alignment distance as in
// graphql-js's suggestionList: one algorithm for the compiler, the input readers and the command line.

/** Optimal string alignment (Damerau-Levenshtein with adjacent transpositions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  if (left === right) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= left.length; i++) {
    const row = new Array<number>(right.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0] as number[];
  for (let j = 0; j <= right.length; j++) first[j] = j;
  for (let i = 1; i <= left.length; i++) {
    const row = rows[i] as number[];
    const previous = rows[i - 1] as number[];
    for (let j = 1; j <= right.length; j++) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[left.length] as number[])[right.length] as number;
}

/** Candidates close to `input`, best first (ties alphabetical). */
export function suggestionList(input: string, candidates: Iterable<string>): string[] {
  const threshold = Math.floor(input.length * 0.4) + 1;
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    if (candidate === input) continue;
    const distance = editDistance(input, candidate);
    const prefixMatch = candidate.startsWith(input) && input.length >= 3;
    if (distance <= threshold || prefixMatch) scored.push({ candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  return scored.map((entry) => entry.candidate);
}

/** The best suggestion, if any. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  return suggestionList(input, candidates)[0];
}

/**
 * The best suggestion that shares something with `input` (a candidate wholly replaced is not a
 * near miss: `--bogus` is not a misspelt `--out`). For flags, file names and row keys.
 */
export function nearMiss(input: string, candidates: Iterable<string>): string | undefined {
  return suggestionList(input, candidates).find(
    (candidate) => editDistance(input, candidate) < candidate.length,
  );
}

/**
 * For an input row that lacks every one of `wanted`: a hint naming a key of the row that looks
 * like a misspelling of one of them, as ` (the row has 'promt': did you mean 'prompt'?)`, else "".
 *
 * @example
 * `a row needs 'prompt'${misspeltKeyHint(Object.keys(row), ["prompt", "messages"])}`
 */
export function misspeltKeyHint(keys: Iterable<string>, wanted: readonly string[]): string {
  for (const key of keys) {
    if (wanted.includes(key)) continue;
    const near = nearMiss(key, wanted);
    if (near !== undefined) return ` (the row has '${key}': did you mean '${near}'?)`;
  }
  return "";
}
