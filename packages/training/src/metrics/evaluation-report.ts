import type { ReliabilityBin } from './calibration.js';
import type { ClassScores } from './precision-recall-f1.js';

/** The learning task a model solves; the data package owns the names (it infers a task from the target). */
import type { Task } from '@myelin/data/config';

export type { Task };

/** Scores of one class, named by its label. */
export interface PerClassScores extends ClassScores {
  /** The class label (`classes[i]`, or the index as a string when no labels were given). */
  label: string;
}

/**
 * What `computeMetrics` returns. `metrics` holds, for classification: accuracy, precision,
 * recall, f1 (the three macro-averaged; f1 = macroF1), macroF1, auroc (left out when not
 * defined: a single class in the truth), logLoss, ece; for regression: mse, rmse, mae, r2.
 */
export interface EvaluationReport {
  task: Task;
  /** Number of samples. */
  n: number;
  metrics: Record<string, number>;
  perClass?: PerClassScores[];
  /** Rows = true class, columns = predicted class. */
  confusionMatrix?: number[][];
  /** 15 equal-width confidence bins. */
  reliability?: ReliabilityBin[];
  /** Class labels in index order. */
  classes?: string[];
}
