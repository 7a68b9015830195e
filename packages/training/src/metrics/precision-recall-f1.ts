/** Precision, recall, F1 and support (number of true samples) of one class. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Per-class precision, recall and F1 from a confusion matrix (rows = true, cols = predicted),
 * plus their unweighted (macro) means over all k classes.
 * A ratio whose denominator is 0 counts as 0 (scikit-learn's `zero_division=0`): a class never
 * predicted has precision 0, a class absent from the truth has recall 0, and F1 is 0 when
 * precision + recall is 0.
 *
 * @example
 * precisionRecallF1([[1, 1], [0, 2]]).perClass[1]; // { precision: 2/3, recall: 1, f1: 0.8, support: 2 }
 */
export function precisionRecallF1(matrix: number[][]): {
  perClass: ClassScores[];
  macro: { precision: number; recall: number; f1: number };
} {
  const k = matrix.length;
  const perClass: ClassScores[] = [];
  for (let c = 0; c < k; c++) {
    const tp = matrix[c]?.[c] ?? 0;
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += matrix[j]?.[c] ?? 0;
      actual += matrix[c]?.[j] ?? 0;
    }
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = actual === 0 ? 0 : tp / actual;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support: actual });
  }
  const mean = (pick: (s: ClassScores) => number): number =>
    k === 0 ? 0 : perClass.reduce((sum, s) => sum + pick(s), 0) / k;
  return {
    perClass,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
  };
}
