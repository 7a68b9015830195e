import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';

/**
 * Runs the model (inference mode) on n×d row-major rows, feeding each batch as its own tensor
 * made from a view of the rows (never one big tensor sliced by tfjs, which is very slow on wasm),
 * and returns the n×k outputs row-major. Every tensor is disposed before returning.
 *
 * @example
 * const probs = predictBatches(model, xTest, nTest, 4, 256); // n×k class probabilities
 */
export function predictBatches(
  model: tf.LayersModel,
  x: Float32Array,
  n: number,
  d: number,
  batchSize: number,
): Float32Array {
  if (x.length !== n * d) {
    throw new MyelinError('MYELIN_ERR_TRAIN', `x holds ${x.length} values, expected n·d = ${n}·${d}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new MyelinError('MYELIN_ERR_TRAIN', `batchSize must be a positive integer, got ${batchSize}`);
  }
  const outShape = model.outputs[0]?.shape ?? [];
  const k = outShape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
  const out = new Float32Array(n * k);
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    tf.tidy(() => {
      const xb = tf.tensor2d(x.subarray(start * d, (start + b) * d), [b, d]);
      const y = model.apply(xb, { training: false }) as tf.Tensor;
      out.set(y.dataSync(), start * k);
    });
  }
  return out;
}
