import { MyelinError } from '@myelin/errors';

/**
 * Predicted probabilities of a classifier in one canonical layout: `n` rows of `k` columns
 * (row-major), `k ≥ 2`, so every metric can read `p[i * k + c]` = P(class c | sample i).
 */
export interface ClassProbabilities {
  /** Number of samples. */
  n: number;
  /** Number of classes (at least 2). */
  k: number;
  /** Row-major n×k probabilities. */
  p: Float64Array;
}

/**
 * Brings classifier output into the n×k layout. Input is either n×k (any k ≥ 2) or n×1 for a
 * binary model, where the single column is P(class 1) and becomes `[1 − p, p]`.
 * `numClasses`, when given, must match k (so a multiclass n×1 input is refused).
 *
 * @example
 * toClassProbabilities(new Float32Array([0.8, 0.3]), 2); // k = 2, p = [0.2, 0.8, 0.7, 0.3]
 */
export function toClassProbabilities(
  yPred: ArrayLike<number>,
  n: number,
  numClasses?: number,
): ClassProbabilities {
  if (n <= 0) throw new MyelinError('MYELIN_ERR_TRAIN', 'cannot compute metrics on 0 samples');
  if (yPred.length % n !== 0) {
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `predictions hold ${yPred.length} values, not a multiple of ${n} samples`,
    );
  }
  const cols = yPred.length / n;
  if (cols === 1) {
    if (numClasses !== undefined && numClasses !== 2) {
      throw new MyelinError(
        'MYELIN_ERR_TRAIN',
        `one probability per sample is binary, but ${numClasses} classes were given`,
      );
    }
    const p = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      const p1 = yPred[i] as number;
      p[i * 2] = 1 - p1;
      p[i * 2 + 1] = p1;
    }
    return { n, k: 2, p };
  }
  if (numClasses !== undefined && numClasses !== cols) {
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `predictions have ${cols} columns but ${numClasses} classes were given`,
    );
  }
  return { n, k: cols, p: Float64Array.from(yPred) };
}

/**
 * The predicted class of each row: the arg-max, the lowest index on ties (so a binary
 * P(class 1) of exactly 0.5 predicts class 0, like Keras's `p > 0.5`).
 */
export function predictedClasses(probs: ClassProbabilities): Int32Array {
  const { n, k, p } = probs;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestP = p[i * k] as number;
    for (let c = 1; c < k; c++) {
      const v = p[i * k + c] as number;
      if (v > bestP) {
        bestP = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Checks that every true label is an integer class index in [0, k) and returns them as Int32Array. */
export function toClassIndices(yTrue: ArrayLike<number>, k: number): Int32Array {
  const out = new Int32Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    const v = yTrue[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= k) {
      throw new MyelinError(
        'MYELIN_ERR_TRAIN',
        `true label ${v} at index ${i} is not a class index in [0, ${k})`,
      );
    }
    out[i] = v;
  }
  return out;
}
