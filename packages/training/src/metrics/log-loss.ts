import type { ClassProbabilities } from './class-probabilities.js';

/** Probabilities are clipped to [LOG_LOSS_EPS, 1 − LOG_LOSS_EPS] before the log, as scikit-learn did (eps=1e-15). */
export const LOG_LOSS_EPS = 1e-15;

/**
 * Mean negative log-likelihood of the true class: −(1/n) Σ log p[i, y_i], each probability clipped
 * to [1e-15, 1 − 1e-15]. Rows are not renormalised (softmax/sigmoid outputs already sum to 1).
 *
 * @example
 * logLoss([1, 0], toClassProbabilities([0.9, 0.2], 2)); // −(ln 0.9 + ln 0.8)/2 ≈ 0.164252
 */
export function logLoss(yTrue: ArrayLike<number>, probs: ClassProbabilities): number {
  const { n, k, p } = probs;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const q = p[i * k + (yTrue[i] as number)] as number;
    sum -= Math.log(Math.min(Math.max(q, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS));
  }
  return sum / n;
}
