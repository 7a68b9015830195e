export { accuracy } from './accuracy.js';
export { auroc, binaryAuroc } from './auroc.js';
export { calibration, CALIBRATION_BINS, type ReliabilityBin } from './calibration.js';
export {
  predictedClasses,
  toClassIndices,
  toClassProbabilities,
  type ClassProbabilities,
} from './class-probabilities.js';
export { computeMetrics } from './compute-metrics.js';
export { confusionMatrix } from './confusion-matrix.js';
export type { EvaluationReport, PerClassScores, Task } from './evaluation-report.js';
export { logLoss, LOG_LOSS_EPS } from './log-loss.js';
export { metricDirection } from './metric-direction.js';
export { precisionRecallF1, type ClassScores } from './precision-recall-f1.js';
export { regressionMetrics, type RegressionScores } from './regression-metrics.js';
