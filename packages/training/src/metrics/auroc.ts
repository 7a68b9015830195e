import type { ClassProbabilities } from './class-probabilities.js';

/**
 * Area under the ROC curve of scores for a binary problem, by the rank (Mann–Whitney U)
 * formula: AUC = (Σ ranks of positives − P(P+1)/2) / (P·N), tied scores getting the average of
 * their ranks (so a tie between a positive and a negative counts one half, as in scikit-learn).
 * Returns `undefined` when only one of the two classes is present (the AUC is not defined).
 *
 * @example
 * binaryAuroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */
export function binaryAuroc(
  isPositive: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
): number | undefined {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  const ranks = new Float64Array(n);
  for (let start = 0; start < n;) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1] as number] === scores[order[start] as number]) end++;
    const avg = (start + end) / 2 + 1; // ranks are 1-based
    for (let j = start; j <= end; j++) ranks[order[j] as number] = avg;
    start = end + 1;
  }
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++) {
    if (isPositive[i]) {
      positives++;
      rankSum += ranks[i] as number;
    }
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * AUROC of a classifier: for k = 2, the binary AUC of P(class 1); for k > 2, the unweighted mean
 * of the one-vs-rest AUCs of each class (scikit-learn's `multi_class='ovr', average='macro'`),
 * over the classes whose one-vs-rest AUC is defined (the class is present and not everything).
 * Returns `undefined` when no AUC is defined.
 */
export function auroc(yTrue: ArrayLike<number>, probs: ClassProbabilities): number | undefined {
  const { n, k, p } = probs;
  const classAuc = (c: number): number | undefined => {
    const isPos = new Uint8Array(n);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      isPos[i] = yTrue[i] === c ? 1 : 0;
      scores[i] = p[i * k + c] as number;
    }
    return binaryAuroc(isPos, scores);
  };
  if (k === 2) return classAuc(1);
  let sum = 0;
  let count = 0;
  for (let c = 0; c < k; c++) {
    const a = classAuc(c);
    if (a !== undefined) {
      sum += a;
      count++;
    }
  }
  return count === 0 ? undefined : sum / count;
}
