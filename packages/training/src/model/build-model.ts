import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import type { Task } from '../metrics/index.js';
import { deriveSeed } from './derive-seed.js';
import type { Activation, KernelRegularizerSpec, LayerSpec, OutputSpec } from './layer-spec.js';
import { isLossName, LOSS_NAMES } from './loss-names.js';
import { outputLayerFor } from './output-layer.js';

/** What `buildModel` needs. */
export interface BuildModelOptions {
  /** Hidden layers, in order (the output layer is added from the task). */
  layers: LayerSpec[];
  task: Task;
  /**
   * Shape of one sample: `[features]` for tabular rows, or `[height, width, channels]` for
   * images. Images are still fed as flat rows of length height·width·channels: the model then
   * starts with a reshape layer.
   */
  inputShape: number[];
  /** Number of classes; required for `multiclass`. */
  numClasses?: number;
  /** Overrides of the output activation and loss. */
  output?: { activation?: Activation; loss?: string };
  /** Seed of every initializer: the same seed gives the same initial weights. */
  seed: number;
}

type SymbolicRank = 2 | 4;

function regularizer(
  spec: KernelRegularizerSpec | undefined,
): ReturnType<typeof tf.regularizers.l1l2> | undefined {
  if (!spec || (!spec.l1 && !spec.l2)) return undefined;
  return tf.regularizers.l1l2({ l1: spec.l1 ?? 0, l2: spec.l2 ?? 0 });
}

function kernelInitializer(
  activation: Activation | undefined,
  seed: number,
): ReturnType<typeof tf.initializers.glorotUniform> {
  // Keras defaults (Glorot uniform), except SELU which needs LeCun normal to self-normalise.
  return activation === 'selu'
    ? tf.initializers.leCunNormal({ seed })
    : tf.initializers.glorotUniform({ seed });
}

function spatialRank(layer: string, where: string, rank: SymbolicRank): void {
  if (rank !== 4) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      `${layer} needs image input: give data.shape as [height, width, channels]`,
      { path: where },
    );
  }
}

/**
 * Builds a sequential tfjs model from the pipeline's `model.layers`, compiled with the loss
 * the task implies (the optimizer given to `compile` is a placeholder: `trainModel` makes its own).
 *
 * - Output layer from the task (see `outputLayerFor`) unless `output` overrides it.
 * - Every kernel initializer is seeded with `deriveSeed(seed, layerIndex)`; biases and batch-norm
 *   parameters start at constants. The same options give the same initial weights.
 * - A 3-dim `inputShape` adds a leading reshape from the flat row.
 * - A `flatten` is inserted automatically before the first dense layer (or the output layer)
 *   that follows image-shaped output (conv2d / maxPooling2d), because applying a dense layer to
 *   each pixel is almost never what a pipeline means. Write `flatten` yourself to be explicit.
 * - Dropout layers get no seed here: `trainModel` seeds them per step, so masks differ between
 *   steps but runs repeat exactly.
 *
 * Throws `MYELIN_ERR_SPEC_INVALID` (with the `model.layers[i]` path) for a layer that does not
 * fit the data (e.g. conv2d on tabular rows), and `MYELIN_ERR_TRAIN` for an unusable shape.
 *
 * @example
 * const model = buildModel({ layers: [{ dense: { units: 16, activation: 'relu' } }],
 *   task: 'multiclass', numClasses: 3, inputShape: [4], seed: 7 });
 */
export function buildModel(opts: BuildModelOptions): tf.LayersModel {
  const { inputShape, seed } = opts;
  if (
    (inputShape.length !== 1 && inputShape.length !== 3) ||
    inputShape.some((s) => !Number.isInteger(s) || s <= 0)
  ) {
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `inputShape must be [features] or [height, width, channels] of positive integers, got [${inputShape.join(', ')}]`,
    );
  }
  const out = outputLayerFor(opts.task, opts.numClasses, opts.output as OutputSpec | undefined);
  if (!isLossName(out.loss)) {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      `unknown loss "${out.loss}"; known: ${LOSS_NAMES.join(', ')}`,
      {
        path: 'model.output.loss',
      },
    );
  }
  const flat = inputShape.reduce((a, b) => a * b, 1);
  const model = tf.sequential();
  let rank: SymbolicRank = 2;
  if (inputShape.length === 3) {
    model.add(tf.layers.reshape({ targetShape: inputShape, inputShape: [flat] }));
    rank = 4;
  } else {
    model.add(tf.layers.inputLayer({ inputShape: [flat] }));
  }
  const flattenIfImage = (): void => {
    if (rank === 4) {
      model.add(tf.layers.flatten());
      rank = 2;
    }
  };

  opts.layers.forEach((spec, i) => {
    const where = `model.layers[${i}]`;
    const layerSeed = deriveSeed(seed, i);
    if ('dense' in spec) {
      const d = spec.dense;
      flattenIfImage();
      model.add(
        tf.layers.dense({
          units: d.units,
          activation: d.activation ?? 'linear',
          kernelInitializer: kernelInitializer(d.activation, layerSeed),
          biasInitializer: 'zeros',
          kernelRegularizer: regularizer(d.kernelRegularizer),
        }),
      );
    } else if ('dropout' in spec) {
      model.add(tf.layers.dropout({ rate: spec.dropout.rate }));
    } else if ('batchNormalization' in spec) {
      const b = spec.batchNormalization;
      model.add(
        tf.layers.batchNormalization({
          ...(b.momentum !== undefined ? { momentum: b.momentum } : {}),
          ...(b.epsilon !== undefined ? { epsilon: b.epsilon } : {}),
        }),
      );
    } else if ('conv2d' in spec) {
      const c = spec.conv2d;
      spatialRank('conv2d', where, rank);
      model.add(
        tf.layers.conv2d({
          filters: c.filters,
          kernelSize: c.kernelSize,
          strides: c.strides ?? 1,
          padding: c.padding ?? 'valid',
          activation: c.activation ?? 'linear',
          kernelInitializer: kernelInitializer(c.activation, layerSeed),
          biasInitializer: 'zeros',
          kernelRegularizer: regularizer(c.kernelRegularizer),
        }),
      );
    } else if ('maxPooling2d' in spec) {
      spatialRank('maxPooling2d', where, rank);
      const p = spec.maxPooling2d;
      model.add(
        tf.layers.maxPooling2d({
          poolSize: p.poolSize,
          ...(p.strides !== undefined ? { strides: p.strides } : {}),
        }),
      );
    } else if ('flatten' in spec) {
      flattenIfImage();
    } else {
      throw new MyelinError(
        'MYELIN_ERR_SPEC_INVALID',
        `unknown layer type "${Object.keys(spec).join(', ')}"`,
        {
          path: where,
        },
      );
    }
  });

  flattenIfImage();
  model.add(
    tf.layers.dense({
      units: out.units,
      activation: out.activation,
      kernelInitializer: kernelInitializer(out.activation, deriveSeed(seed, opts.layers.length)),
      biasInitializer: 'zeros',
    }),
  );
  model.compile({ optimizer: 'sgd', loss: out.loss });
  return model;
}
