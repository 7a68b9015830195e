import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../model/index.js';

/** Probabilities are clipped to [ε, 1 − ε] before a log, with Keras's ε. */
const EPSILON = 1e-7;

/**
 * The loss of each sample of a batch (shape [b]), with Keras's definitions: binary
 * cross-entropy averaged over the output columns, categorical cross-entropy of row-normalised
 * probabilities, and squared / absolute error averaged over the columns. Per-sample values let
 * the trainer weight samples (class weights) before averaging.
 */
export function sampleLoss(name: LossName, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    switch (name) {
      case 'binaryCrossentropy': {
        const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
        const ll = tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p))));
        return tf.neg(tf.mean(ll, -1)) as tf.Tensor1D;
      }
      case 'categoricalCrossentropy': {
        const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
        return tf.neg(tf.sum(tf.mul(yTrue, tf.log(p)), -1)) as tf.Tensor1D;
      }
      case 'meanSquaredError':
        return tf.mean(tf.square(tf.sub(yTrue, yPred)), -1) as tf.Tensor1D;
      case 'meanAbsoluteError':
        return tf.mean(tf.abs(tf.sub(yTrue, yPred)), -1) as tf.Tensor1D;
    }
  });
}

/**
 * Per-sample score for the training metric: 1/0 for a right/wrong class (accuracy; one column:
 * p > 0.5 vs y ≥ 0.5, several: arg-max), or the mean absolute error over the columns (regression).
 */
export function sampleScore(regression: boolean, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    if (regression) return tf.mean(tf.abs(tf.sub(yTrue, yPred)), -1) as tf.Tensor1D;
    const k = yPred.shape[yPred.shape.length - 1] ?? 1;
    if (k === 1) {
      return tf
        .cast(tf.equal(tf.greater(yPred, 0.5), tf.greaterEqual(yTrue, 0.5)), 'float32')
        .reshape([-1]) as tf.Tensor1D;
    }
    return tf.cast(tf.equal(tf.argMax(yPred, -1), tf.argMax(yTrue, -1)), 'float32') as tf.Tensor1D;
  });
}
