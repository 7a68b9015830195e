import * as tf from '@tensorflow/tfjs';
import { buildTfjsModel, type BuildModelOptions } from './build-model.js';
import type { ModelDefinition } from './model-file.js';
import { planModel, type ModelPlan } from './model-plan.js';
import { fromTfjsLayout, toTfjsLayout } from './model-weights.js';

/** Every weight of the model, layer by layer (`layer.weights` order), copied. */
export function readLayerWeights(model: tf.LayersModel): Float32Array[] {
  return model.layers.flatMap((l) => l.weights.map((w) => new Float32Array(w.read().dataSync())));
}

/** Writes arrays in `readLayerWeights` order back into the model's layers (sizes are checked by tfjs). */
export function writeLayerWeights(model: tf.LayersModel, arrays: readonly Float32Array[]): void {
  let k = 0;
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const tensors = layer.weights.map((w) =>
      tf.tensor((arrays[k++] ?? new Float32Array(0)).slice(), w.shape as number[], 'float32'),
    );
    try {
      layer.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }
}

/**
 * The tfjs model of a definition (what the server and browsers run): the plan built with tfjs
 * layers, its weights converted from the canonical layouts. The caller disposes it.
 *
 * @example
 * const served = tfjsModelOf(decodeModelFile(bytes));
 */
export function tfjsModelOf(model: ModelDefinition): tf.LayersModel {
  const m = buildTfjsModel(model.plan, 0);
  try {
    writeLayerWeights(m, toTfjsLayout(model.plan, model.weights));
  } catch (e) {
    m.dispose();
    throw e;
  }
  return m;
}

/** The definition of a tfjs model built from `plan` (weights copied into canonical layouts). */
export function definitionOf(plan: ModelPlan, model: tf.LayersModel): ModelDefinition {
  return { plan, weights: fromTfjsLayout(plan, readLayerWeights(model)) };
}

/**
 * A new model: the plan of the pipeline's layers and its seeded initial weights (tfjs's Keras
 * initializers: Glorot uniform, LeCun normal for SELU; zero biases), the same on every engine.
 *
 * @example
 * const model = initialModel({ layers, task: 'binary', inputShape: [4], seed: 7 });
 */
export function initialModel(opts: BuildModelOptions): ModelDefinition {
  const plan = planModel(opts);
  const m = buildTfjsModel(plan, opts.seed);
  try {
    return definitionOf(plan, m);
  } finally {
    m.dispose();
  }
}
