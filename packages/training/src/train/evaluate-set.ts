import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../model/index.js';
import { sampleLoss, sampleScore } from './sample-loss.js';

/**
 * Loss and metric of the model (inference mode) on a whole set, fed batch by batch, each batch
 * its own tensor made from a view of the rows. `loss` = mean sample loss + the model's
 * regularization penalties; `score` = accuracy, or mean absolute error for regression.
 */
export function evaluateSet(
  model: tf.LayersModel,
  loss: LossName,
  regression: boolean,
  set: { x: Float32Array; y: Float32Array; n: number },
  d: number,
  k: number,
  batchSize: number,
): { loss: number; score: number } {
  let lossSum = 0;
  let scoreSum = 0;
  for (let start = 0; start < set.n; start += batchSize) {
    const b = Math.min(batchSize, set.n - start);
    const [l, s] = tf.tidy(() => {
      const xb = tf.tensor2d(set.x.subarray(start * d, (start + b) * d), [b, d]);
      const yb = tf.tensor2d(set.y.subarray(start * k, (start + b) * k), [b, k]);
      const pred = model.apply(xb, { training: false }) as tf.Tensor;
      return [
        tf.sum(sampleLoss(loss, yb, pred)).dataSync()[0] ?? NaN,
        tf.sum(sampleScore(regression, yb, pred)).dataSync()[0] ?? NaN,
      ];
    });
    lossSum += l;
    scoreSum += s;
  }
  const penalty = tf.tidy(() => {
    const losses = model.calculateLosses();
    return losses.length === 0 ? 0 : (tf.addN(losses).dataSync()[0] ?? 0);
  });
  return { loss: lossSum / set.n + penalty, score: scoreSum / set.n };
}
