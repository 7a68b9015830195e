/**
 * Splits `m` items into three counts in proportion to `fractions` (train, validation, test)
 * with the largest-remainder method: each split gets floor(m·f), then the items left over go one
 * each to the splits with the largest fractional parts (ties: train, then validation, then test).
 * The counts always sum to `m`. Finally, if train has a positive fraction but got 0 items while
 * m ≥ 1, one item moves to train from the larger of validation/test (test on a tie, so
 * validation keeps rows for early stopping), so that a small class is
 * never missing from training.
 *
 * @example
 * allocateCounts(10, [0.7, 0.15, 0.15]); // [7, 2, 1]  (1.5 and 1.5 tie: validation first)
 * allocateCounts(1, [0.1, 0.45, 0.45]);  // [1, 0, 0]  (train rescue)
 */
export function allocateCounts(m: number, fractions: readonly [number, number, number]): [number, number, number] {
  const quotas = fractions.map((f) => m * f);
  const counts = quotas.map((q) => Math.floor(q + 1e-9)) as [number, number, number];
  let left = m - counts[0] - counts[1] - counts[2];
  const order = [0, 1, 2].sort((a, b) => {
    const ra = (quotas[a] as number) - counts[a as 0 | 1 | 2];
    const rb = (quotas[b] as number) - counts[b as 0 | 1 | 2];
    return rb - ra || a - b;
  });
  for (let k = 0; left > 0; k = (k + 1) % 3) {
    const idx = order[k] as 0 | 1 | 2;
    if ((fractions[idx] as number) > 0 || fractions.every((f) => f <= 0)) {
      counts[idx]++;
      left--;
    }
  }
  if (m >= 1 && fractions[0] > 0 && counts[0] === 0) {
    const donor = counts[2] >= counts[1] ? 2 : 1;
    counts[donor]--;
    counts[0]++;
  }
  return counts;
}
