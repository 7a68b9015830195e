/**
 * Fraction of samples whose predicted class equals the true class.
 *
 * @example
 * accuracy([0, 1, 1, 2], [0, 1, 2, 2]); // 0.75
 */
export function accuracy(yTrue: ArrayLike<number>, yPredClass: ArrayLike<number>): number {
  if (yTrue.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPredClass[i]) hits++;
  return hits / yTrue.length;
}
