import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../model/index.js';
import { clipGradients } from './clip-gradients.js';
import { sampleLoss, sampleScore } from './sample-loss.js';

/** One batch of rows, already gathered into their own arrays. */
export interface Batch {
  x: Float32Array;
  y: Float32Array;
  /** Per-sample loss weights (class weights), if any. */
  w?: Float32Array;
  /** Rows in the batch. */
  b: number;
}

/** What a training step needs besides the batch. */
export interface StepContext {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  trainable: tf.Variable[];
  loss: LossName;
  regression: boolean;
  d: number;
  k: number;
  clipNorm?: number;
  clipValue?: number;
}

/**
 * One optimisation step on one batch, inside a single `tf.tidy` (so every tensor it makes,
 * the batch tensors included, is released even when it throws): forward pass in training mode,
 * objective = mean(sample loss · sample weight) + regularization penalties, gradients of the
 * trainable variables via `tf.variableGrads`, clipping, `optimizer.applyGradients`.
 * Returns the objective and the sum of the per-sample training scores (hits or absolute errors).
 */
export function trainStep(ctx: StepContext, batch: Batch): { loss: number; scoreSum: number } {
  let scoreSum = NaN;
  const loss = tf.tidy(() => {
    const xt = tf.tensor2d(batch.x, [batch.b, ctx.d]);
    const yt = tf.tensor2d(batch.y, [batch.b, ctx.k]);
    const wt = batch.w ? tf.tensor1d(batch.w) : undefined;
    const { value, grads } = tf.variableGrads(() => {
      const pred = ctx.model.apply(xt, { training: true }) as tf.Tensor;
      scoreSum = tf.sum(sampleScore(ctx.regression, yt, pred)).dataSync()[0] ?? NaN;
      const perSample = sampleLoss(ctx.loss, yt, pred);
      let total = (wt ? tf.mean(tf.mul(perSample, wt)) : tf.mean(perSample)) as tf.Scalar;
      for (const penalty of ctx.model.calculateLosses()) total = tf.add(total, penalty);
      return total;
    }, ctx.trainable);
    ctx.optimizer.applyGradients(clipGradients(grads, ctx.clipNorm, ctx.clipValue));
    return value.dataSync()[0] ?? NaN;
  });
  return { loss, scoreSum };
}
