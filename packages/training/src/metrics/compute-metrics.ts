import { MyelinError } from '@myelin/errors';
import { accuracy } from './accuracy.js';
import { auroc } from './auroc.js';
import { calibration } from './calibration.js';
import { predictedClasses, toClassIndices, toClassProbabilities } from './class-probabilities.js';
import { confusionMatrix } from './confusion-matrix.js';
import type { EvaluationReport, Task } from './evaluation-report.js';
import { logLoss } from './log-loss.js';
import { precisionRecallF1 } from './precision-recall-f1.js';
import { regressionMetrics } from './regression-metrics.js';

/**
 * Computes the evaluation report of a model's predictions.
 *
 * - Classification: `yTrue` holds class indices (0..k−1); `yPred` holds probabilities, n×k
 *   row-major, or n×1 for binary meaning P(class 1). `classes` names the classes in index order
 *   (its length fixes k for an n×1 binary input: it must then be 2).
 * - Regression: `yTrue` and `yPred` hold one value per sample; `classes` is ignored.
 *
 * @example
 * computeMetrics('binary', [0, 1, 1], new Float32Array([0.2, 0.7, 0.4])).metrics.accuracy; // 2/3
 */
export function computeMetrics(
  task: Task,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes?: readonly string[],
): EvaluationReport {
  const n = yTrue.length;
  if (n === 0) throw new MyelinError('MYELIN_ERR_TRAIN', 'cannot compute metrics on 0 samples');
  if (task === 'regression') {
    const r = regressionMetrics(yTrue, yPred);
    return { task, n, metrics: { mse: r.mse, rmse: r.rmse, mae: r.mae, r2: r.r2 } };
  }
  const probs = toClassProbabilities(yPred, n, classes?.length);
  if (task === 'binary' && probs.k !== 2) {
    throw new MyelinError('MYELIN_ERR_TRAIN', `binary task, but predictions have ${probs.k} columns`);
  }
  const truth = toClassIndices(yTrue, probs.k);
  const predicted = predictedClasses(probs);
  const matrix = confusionMatrix(truth, predicted, probs.k);
  const prf = precisionRecallF1(matrix);
  const cal = calibration(truth, probs, predicted);
  const labels = classes ? [...classes] : Array.from({ length: probs.k }, (_, c) => String(c));
  const metrics: Record<string, number> = {
    accuracy: accuracy(truth, predicted),
    precision: prf.macro.precision,
    recall: prf.macro.recall,
    f1: prf.macro.f1,
    macroF1: prf.macro.f1,
  };
  const auc = auroc(truth, probs);
  if (auc !== undefined) metrics['auroc'] = auc;
  metrics['logLoss'] = logLoss(truth, probs);
  metrics['ece'] = cal.ece;
  return {
    task,
    n,
    metrics,
    perClass: prf.perClass.map((s, c) => ({ label: labels[c] ?? String(c), ...s })),
    confusionMatrix: matrix,
    reliability: cal.reliability,
    classes: labels,
  };
}
