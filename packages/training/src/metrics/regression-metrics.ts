import { MyelinError } from '@myelin/errors';

/** Mean squared, root mean squared and mean absolute error, and the coefficient of determination. */
export interface RegressionScores {
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

/**
 * Regression errors of `yPred` against `yTrue` (same length, one value per sample).
 * R² = 1 − SS_res / SS_tot; when the truth is constant (SS_tot = 0) R² is 1 for a perfect fit
 * and 0 otherwise (scikit-learn's `force_finite=True`).
 *
 * @example
 * regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
 * // { mse: 0.375, rmse: 0.6124, mae: 0.5, r2: 0.9486 }
 */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionScores {
  const n = yTrue.length;
  if (n === 0) throw new MyelinError('MYELIN_ERR_TRAIN', 'cannot compute metrics on 0 samples');
  if (yPred.length !== n) {
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `${yPred.length} predictions for ${n} targets (one output expected)`,
    );
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i] as number;
  mean /= n;
  let ssRes = 0;
  let ssTot = 0;
  let absSum = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i] as number;
    const e = t - (yPred[i] as number);
    ssRes += e * e;
    absSum += Math.abs(e);
    ssTot += (t - mean) * (t - mean);
  }
  const mse = ssRes / n;
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return { mse, rmse: Math.sqrt(mse), mae: absSum / n, r2 };
}
