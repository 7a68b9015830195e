import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';

/**
 * Copies every weight of the model (trainable and not, e.g. batch-norm moving statistics) into
 * plain arrays, in `model.weights` order. The arrays are copies: training on does not change them.
 *
 * @example
 * const best = getWeightsSnapshot(model); // … train more …
 * setWeightsSnapshot(model, best);
 */
export function getWeightsSnapshot(model: tf.LayersModel): Float32Array[] {
  return model.weights.map((w) => {
    const t = w.read();
    return new Float32Array(t.dataSync());
  });
}

/**
 * Writes a snapshot taken by `getWeightsSnapshot` back into the model (the arrays are copied,
 * so the snapshot stays independent of the model). Throws `MYELIN_ERR_TRAIN` when the number of
 * arrays or their sizes do not match the model's weights.
 */
export function setWeightsSnapshot(model: tf.LayersModel, snapshot: readonly Float32Array[]): void {
  const weights = model.weights;
  if (snapshot.length !== weights.length) {
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `snapshot holds ${snapshot.length} arrays, the model has ${weights.length} weights`,
    );
  }
  weights.forEach((w, i) => {
    const size = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    if (snapshot[i]?.length !== size) {
      throw new MyelinError(
        'MYELIN_ERR_TRAIN',
        `snapshot array ${i} has ${snapshot[i]?.length} values, weight ${w.name} needs ${size}`,
      );
    }
  });
  const tensors = weights.map((w, i) =>
    tf.tensor((snapshot[i] as Float32Array).slice(), w.shape as number[], 'float32'),
  );
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
}
