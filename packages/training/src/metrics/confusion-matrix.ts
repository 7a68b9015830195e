/**
 * k×k confusion matrix: `m[t][p]` counts samples of true class `t` predicted as class `p`
 * (rows = true, columns = predicted, as in scikit-learn).
 *
 * @example
 * confusionMatrix([0, 0, 1], [0, 1, 1], 2); // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPredClass: ArrayLike<number>,
  k: number,
): number[][] {
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const row = m[yTrue[i] as number];
    const p = yPredClass[i] as number;
    if (row && p >= 0 && p < k) row[p] = (row[p] as number) + 1;
  }
  return m;
}
