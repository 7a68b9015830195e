import type { Cell } from '@myelin/data';
import type { InstanceWarning } from '../validation/instance-warning.js';

/** Which version a request asks for: a number, an alias, or (neither) the served alias with any rollout. */
export interface VersionSelector {
  version?: number;
  label?: string;
}

/** A prediction request in protocol-neutral form. */
export interface PredictRequest {
  model: string;
  selector: VersionSelector;
  /** Raw records keyed by training column name, or encoded numeric rows. */
  instances: unknown[];
  protocol: 'tfserving' | 'kserve';
  /** `X-Request-Key`: keeps a caller on one side of a canary. */
  requestKey?: string;
}

/** One instance's answer. */
export interface InstancePrediction {
  predictionId: string;
  /** Classifiers: the predicted label. */
  label?: Cell;
  /** Classifiers: label → probability. */
  probabilities?: Record<string, number>;
  /** Classifiers: probabilities in class order. */
  scores?: number[];
  /** Regression: the predicted value. */
  value?: number;
}

/** The answer to a `PredictRequest`. */
export interface PredictOutcome {
  model: string;
  version: number;
  task: string;
  /** Class labels in output order (classifiers), else null. */
  classes: string[] | null;
  predictions: InstancePrediction[];
  warnings: InstanceWarning[];
}
