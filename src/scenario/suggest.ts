/**
 * "Did you mean ...?": the closest candidate by edit distance, if it is close enough to be a typo; else
 * the one camelCase key the input is cut short of (`truncated`). Inputs longer than any name are not
 * typos of one: they are skipped, which also keeps the quadratic edit distance away from megabyte-long
 * keys.
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  if (input.length > MAX_TYPO_LENGTH) return undefined;
  const all = [...candidates];
  return closest(input, all) ?? truncated(input, all);
}

function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(input.length / 3));
  for (const c of candidates) {
    // The length difference bounds the distance from below: a cheap way to skip far candidates.
    if (Math.abs(c.length - input.length) > limit) continue;
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * The one candidate of which `input` is a start ending at a camelCase word boundary: `crossZonePrice` for
 * `crossZonePricePerGbEachSide`. Long keys that spell out their unit get shortened from memory, too far
 * from the key for a typo. Names (lower-case, DNS-1123) have no such boundary, so they never match.
 */
function truncated(input: string, candidates: readonly string[]): string | undefined {
  if (input.length < MIN_TRUNCATED_LENGTH) return undefined;
  const start = input.toLowerCase();
  const fits = candidates.filter(
    (c) =>
      c.length > input.length && c.toLowerCase().startsWith(start) && /[A-Z]/.test(c[input.length] ?? ''),
  );
  return fits.length === 1 ? fits[0] : undefined;
}

/** Three letters (`req`, `max`) start too many words to stand for one key. */
const MIN_TRUNCATED_LENGTH = 4;

/** Longer than a DNS-1123 subdomain (253): not a misspelt name. */
const MAX_TYPO_LENGTH = 253;

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number) => d[i * cols + j] as number;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, at(i - 2, j - 2) + 1);
      d[i * cols + j] = v;
    }
  }
  return at(a.length, b.length);
}
