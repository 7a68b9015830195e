import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word` when it is close enough to be a likely typo, else undefined:
 * Myelin's one did-you-mean, for pipeline keys and data column names alike. A case difference
 * costs one edit.
 *
 * @example suggest('epoch', ['epochs', 'seed']) // 'epochs'
 * @example suggest('specie', ['Species', 'Island']) // 'Species'
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
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

/**
 * `; did you mean "x"?` when a close candidate exists, else the empty string: the end of a message.
 *
 * @example `unknown key "epoch"${didYouMean('epoch', ['epochs'])}` // 'unknown key "epoch"; did you mean "epochs"?'
 */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hit = suggest(word, candidates);
  return hit === undefined ? '' : `; did you mean "${hit}"?`;
}
