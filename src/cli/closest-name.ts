/**
 * The name a user most likely meant: `--fromat` → `--format`, `exprot` → `export`. Used for
 * unknown options and commands; any list of names (sources, pipelines, settings) can use it.
 */

/**
 * Edits from one text to the other: a character inserted, removed or replaced, or two
 * neighbours swapped (the commonest typo, counted once: "fromat" is 1 from "format").
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `given`, or null when none is close enough to be a typo of it: at
 * most one edit in three characters (of the longer), and never more than three.
 */
export function closestName(given: string, candidates: Iterable<string>): string | null {
  const lower = given.toLowerCase();
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    const allowed = Math.min(3, Math.max(1, Math.floor(Math.max(given.length, candidate.length) / 3)));
    if (distance <= allowed && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` Did you mean "x"?` after a message about an unknown name, or nothing. */
export function didYouMean(given: string, candidates: Iterable<string>, prefix = ''): string {
  const closest = closestName(given, candidates);
  return closest === null ? '' : ` Did you mean "${prefix}${closest}"?`;
}
