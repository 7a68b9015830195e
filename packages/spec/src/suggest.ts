import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word` when it is close enough to be a likely typo, else undefined.
 * Case differences cost nothing extra beyond one edit.
 *
 * @example suggest('epoch', ['epochs', 'seed']) // 'epochs'
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d =
      candidate === word
        ? 0
        : Math.min(distance(word, candidate), distance(lower, candidate.toLowerCase()) + 1);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return best !== undefined && bestDistance > 0 && bestDistance <= limit ? best : undefined;
}

/** `; did you mean "x"?` when a close candidate exists, else the empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const hit = suggest(word, candidates);
  return hit === undefined ? '' : `; did you mean "${hit}"?`;
}
