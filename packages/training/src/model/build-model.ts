import * as tf from '@tensorflow/tfjs';
import type { Activation } from './layer-spec.js';
import { deriveSeed } from './derive-seed.js';
import { planModel, planInputWidth, type ModelPlan, type PlanModelOptions } from './model-plan.js';

/** What `buildModel` needs: the plan's inputs and the seed of the initializers. */
export interface BuildModelOptions extends PlanModelOptions {
  /** Seed of every initializer: the same seed gives the same initial weights. */
  seed: number;
}

function regularizer(l1: number, l2: number): ReturnType<typeof tf.regularizers.l1l2> | undefined {
  return l1 || l2 ? tf.regularizers.l1l2({ l1, l2 }) : undefined;
}

function kernelInitializer(
  activation: Activation,
  seed: number,
): ReturnType<typeof tf.initializers.glorotUniform> {
  // Keras defaults (Glorot uniform), except SELU which needs LeCun normal to self-normalise.
  return activation === 'selu'
    ? tf.initializers.leCunNormal({ seed })
    : tf.initializers.glorotUniform({ seed });
}

/**
 * Builds the sequential tfjs model of a plan, compiled with the plan's loss (the optimizer given
 * to `compile` is a placeholder: training makes its own). Every kernel initializer is seeded
 * with `deriveSeed(seed, layer.source)`; biases and batch-norm parameters start at constants.
 * A 3-dim input shape starts with a reshape from the flat row. Dropout layers get no seed here:
 * the tfjs engine seeds them per step.
 *
 * @example
 * const model = buildTfjsModel(planModel({ layers, task: 'binary', inputShape: [4] }), 7);
 */
export function buildTfjsModel(plan: ModelPlan, seed: number): tf.LayersModel {
  const flat = planInputWidth(plan);
  const model = tf.sequential();
  if (plan.inputShape.length === 3)
    model.add(tf.layers.reshape({ targetShape: plan.inputShape, inputShape: [flat] }));
  else model.add(tf.layers.inputLayer({ inputShape: [flat] }));
  for (const l of plan.layers) {
    switch (l.kind) {
      case 'dense':
        model.add(
          tf.layers.dense({
            units: l.units,
            activation: l.activation,
            kernelInitializer: kernelInitializer(l.activation, deriveSeed(seed, l.source)),
            biasInitializer: 'zeros',
            kernelRegularizer: regularizer(l.l1, l.l2),
          }),
        );
        break;
      case 'dropout':
        model.add(tf.layers.dropout({ rate: l.rate }));
        break;
      case 'batchNormalization':
        model.add(tf.layers.batchNormalization({ momentum: l.momentum, epsilon: l.epsilon }));
        break;
      case 'conv2d':
        model.add(
          tf.layers.conv2d({
            filters: l.filters,
            kernelSize: [l.kernelHeight, l.kernelWidth],
            strides: [l.strideHeight, l.strideWidth],
            padding: l.padding,
            activation: l.activation,
            kernelInitializer: kernelInitializer(l.activation, deriveSeed(seed, l.source)),
            biasInitializer: 'zeros',
            kernelRegularizer: regularizer(l.l1, l.l2),
          }),
        );
        break;
      case 'maxPooling2d':
        model.add(
          tf.layers.maxPooling2d({
            poolSize: [l.kernelHeight, l.kernelWidth],
            strides: [l.strideHeight, l.strideWidth],
          }),
        );
        break;
      case 'flatten':
        model.add(tf.layers.flatten());
        break;
    }
  }
  model.compile({ optimizer: 'sgd', loss: plan.loss });
  return model;
}

/**
 * Plans and builds a sequential tfjs model from the pipeline's `model.layers` (see `planModel`
 * for the output layer, the inserted flatten and the located errors, and `buildTfjsModel`).
 *
 * @example
 * const model = buildModel({ layers: [{ dense: { units: 16, activation: 'relu' } }],
 *   task: 'multiclass', numClasses: 3, inputShape: [4], seed: 7 });
 */
export function buildModel(opts: BuildModelOptions): tf.LayersModel {
  return buildTfjsModel(planModel(opts), opts.seed);
}
