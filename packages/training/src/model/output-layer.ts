import { MyelinError } from '@myelin/errors';
import type { Task } from '../metrics/index.js';
import type { Activation, OutputSpec } from './layer-spec.js';

/** Units, activation and loss of the output layer. */
export interface OutputLayer {
  units: number;
  activation: Activation;
  loss: string;
}

/**
 * The output layer a task implies, with the pipeline's overrides applied:
 * binary → 1 sigmoid unit + binaryCrossentropy; multiclass → `numClasses` softmax units +
 * categoricalCrossentropy (one-hot targets); regression → 1 linear unit + meanSquaredError.
 *
 * @example
 * outputLayerFor('multiclass', 3); // { units: 3, activation: 'softmax', loss: 'categoricalCrossentropy' }
 */
export function outputLayerFor(task: Task, numClasses?: number, override?: OutputSpec): OutputLayer {
  let base: OutputLayer;
  if (task === 'binary') base = { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy' };
  else if (task === 'regression') base = { units: 1, activation: 'linear', loss: 'meanSquaredError' };
  else {
    if (numClasses === undefined || !Number.isInteger(numClasses) || numClasses < 2) {
      throw new MyelinError(
        'MYELIN_ERR_TRAIN',
        `a multiclass model needs numClasses ≥ 2, got ${String(numClasses)}`,
      );
    }
    base = { units: numClasses, activation: 'softmax', loss: 'categoricalCrossentropy' };
  }
  return {
    units: base.units,
    activation: override?.activation ?? base.activation,
    loss: override?.loss ?? base.loss,
  };
}
