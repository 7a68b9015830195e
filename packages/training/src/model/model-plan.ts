import { MyelinError } from '@myelin/errors';
import type { Task } from '../metrics/index.js';
import type { Activation, KernelRegularizerSpec, LayerSpec, OutputSpec } from './layer-spec.js';
import { isLossName, LOSS_NAMES, type LossName } from './loss-names.js';
import { outputLayerFor } from './output-layer.js';

/**
 * One layer of a model plan, every shape resolved. `source` is the index of the
 * `model.layers` entry it comes from (the output layer has `model.layers.length`; a flatten
 * inserted before the first dense layer after images has -1).
 */
export type PlanLayer =
  | {
      kind: 'dense';
      source: number;
      inputs: number;
      units: number;
      activation: Activation;
      l1: number;
      l2: number;
    }
  | { kind: 'dropout'; source: number; rate: number }
  | { kind: 'batchNormalization'; source: number; features: number; momentum: number; epsilon: number }
  | {
      kind: 'conv2d';
      source: number;
      inChannels: number;
      filters: number;
      kernelHeight: number;
      kernelWidth: number;
      strideHeight: number;
      strideWidth: number;
      padding: 'valid' | 'same';
      /** Zero padding TensorFlow's `same` adds (the odd pixel goes to the bottom / right). */
      padTop: number;
      padBottom: number;
      padLeft: number;
      padRight: number;
      activation: Activation;
      l1: number;
      l2: number;
    }
  | {
      kind: 'maxPooling2d';
      source: number;
      kernelHeight: number;
      kernelWidth: number;
      strideHeight: number;
      strideWidth: number;
    }
  | { kind: 'flatten'; source: number };

/**
 * The engine-neutral description of a sequential model: what every engine builds and what the
 * model file stores beside the weights. Rows are always fed flat; `inputShape` `[h, w, c]`
 * means each row holds an image in height-width-channel order.
 */
export interface ModelPlan {
  formatVersion: 1;
  inputShape: number[];
  /** The hidden layers and, last, the output dense layer. */
  layers: PlanLayer[];
  /** Values per output row (k). */
  outputs: number;
  loss: LossName;
  task: Task;
}

/** What `planModel` needs (the pipeline's `model` section, the data's shape and the task). */
export interface PlanModelOptions {
  /** Hidden layers, in order (the output layer is added from the task). */
  layers: LayerSpec[];
  task: Task;
  /** `[features]` for tabular rows, or `[height, width, channels]` for images. */
  inputShape: number[];
  /** Number of classes; required for `multiclass`. */
  numClasses?: number;
  /** Overrides of the output activation and loss. */
  output?: OutputSpec;
}

/** tfjs-layers' batch-normalization defaults. */
const BN_MOMENTUM = 0.99;
const BN_EPSILON = 1e-3;

const pair = (v: number | [number, number]): [number, number] => (Array.isArray(v) ? v : [v, v]);

function penalties(spec: KernelRegularizerSpec | undefined): { l1: number; l2: number } {
  return { l1: spec?.l1 ?? 0, l2: spec?.l2 ?? 0 };
}

function specError(detail: string, path: string): MyelinError {
  return new MyelinError('MYELIN_ERR_SPEC_INVALID', detail, { path });
}

/** TensorFlow's `same` padding for one dimension: out = ceil(in / s). */
function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Resolves the pipeline's `model.layers` into a plan: the output layer from the task (see
 * `outputLayerFor`), a flatten inserted before the first dense layer that follows image-shaped
 * output, tfjs's defaults (batch-norm momentum 0.99, ε 0.001; pooling strides = pool size),
 * and every layer's input and output size.
 *
 * Throws `MYELIN_ERR_SPEC_INVALID` with the `model.layers[i]` path for a layer that does not fit
 * the data (conv2d on tabular rows, an image too small for a kernel), and `MYELIN_ERR_TRAIN` for
 * an unusable input shape.
 *
 * @example
 * const plan = planModel({ layers: [{ dense: { units: 16, activation: 'relu' } }],
 *   task: 'multiclass', numClasses: 3, inputShape: [4] });
 * // plan.layers: dense 4→16 relu, dense 16→3 softmax
 */
export function planModel(opts: PlanModelOptions): ModelPlan {
  const { inputShape } = opts;
  if (
    (inputShape.length !== 1 && inputShape.length !== 3) ||
    inputShape.some((s) => !Number.isInteger(s) || s <= 0)
  ) {
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `inputShape must be [features] or [height, width, channels] of positive integers, got [${inputShape.join(', ')}]`,
    );
  }
  const out = outputLayerFor(opts.task, opts.numClasses, opts.output);
  if (!isLossName(out.loss)) {
    throw specError(`unknown loss "${out.loss}"; known: ${LOSS_NAMES.join(', ')}`, 'model.output.loss');
  }
  const layers: PlanLayer[] = [];
  // the current output: features (rank 2) or an image [h, w, c] (rank 4)
  let image: [number, number, number] | undefined =
    inputShape.length === 3 ? [inputShape[0]!, inputShape[1]!, inputShape[2]!] : undefined;
  let features = image ? 0 : inputShape[0]!;
  const flattenIfImage = (source: number): void => {
    if (!image) return;
    layers.push({ kind: 'flatten', source });
    features = image[0] * image[1] * image[2];
    image = undefined;
  };
  const needImage = (layer: string, where: string): [number, number, number] => {
    if (!image)
      throw specError(`${layer} needs image input: give data.shape as [height, width, channels]`, where);
    return image;
  };

  opts.layers.forEach((spec, i) => {
    const where = `model.layers[${i}]`;
    if ('dense' in spec) {
      const d = spec.dense;
      flattenIfImage(-1);
      layers.push({
        kind: 'dense',
        source: i,
        inputs: features,
        units: d.units,
        activation: d.activation ?? 'linear',
        ...penalties(d.kernelRegularizer),
      });
      features = d.units;
    } else if ('dropout' in spec) {
      layers.push({ kind: 'dropout', source: i, rate: spec.dropout.rate });
    } else if ('batchNormalization' in spec) {
      const b = spec.batchNormalization;
      layers.push({
        kind: 'batchNormalization',
        source: i,
        features: image ? image[2] : features,
        momentum: b.momentum ?? BN_MOMENTUM,
        epsilon: b.epsilon ?? BN_EPSILON,
      });
    } else if ('conv2d' in spec) {
      const c = spec.conv2d;
      const [h, w, ch] = needImage('conv2d', where);
      const [kh, kw] = pair(c.kernelSize);
      const [sh, sw] = pair(c.strides ?? 1);
      const padding = c.padding ?? 'valid';
      const [padTop, padBottom] = padding === 'same' ? samePadding(h, kh, sh) : [0, 0];
      const [padLeft, padRight] = padding === 'same' ? samePadding(w, kw, sw) : [0, 0];
      const oh = Math.floor((h + padTop + padBottom - kh) / sh) + 1;
      const ow = Math.floor((w + padLeft + padRight - kw) / sw) + 1;
      if (oh < 1 || ow < 1) {
        throw specError(`conv2d kernel ${kh}x${kw} does not fit the ${h}x${w} image it gets`, where);
      }
      layers.push({
        kind: 'conv2d',
        source: i,
        inChannels: ch,
        filters: c.filters,
        kernelHeight: kh,
        kernelWidth: kw,
        strideHeight: sh,
        strideWidth: sw,
        padding,
        padTop,
        padBottom,
        padLeft,
        padRight,
        activation: c.activation ?? 'linear',
        ...penalties(c.kernelRegularizer),
      });
      image = [oh, ow, c.filters];
    } else if ('maxPooling2d' in spec) {
      const [h, w, ch] = needImage('maxPooling2d', where);
      const p = spec.maxPooling2d;
      const [kh, kw] = pair(p.poolSize);
      const [sh, sw] = pair(p.strides ?? p.poolSize);
      const oh = Math.floor((h - kh) / sh) + 1;
      const ow = Math.floor((w - kw) / sw) + 1;
      if (oh < 1 || ow < 1) {
        throw specError(`maxPooling2d pool ${kh}x${kw} does not fit the ${h}x${w} image it gets`, where);
      }
      layers.push({
        kind: 'maxPooling2d',
        source: i,
        kernelHeight: kh,
        kernelWidth: kw,
        strideHeight: sh,
        strideWidth: sw,
      });
      image = [oh, ow, ch];
    } else if ('flatten' in spec) {
      flattenIfImage(i);
    } else {
      throw specError(`unknown layer type "${Object.keys(spec).join(', ')}"`, where);
    }
  });

  flattenIfImage(-1);
  layers.push({
    kind: 'dense',
    source: opts.layers.length,
    inputs: features,
    units: out.units,
    activation: out.activation,
    l1: 0,
    l2: 0,
  });
  return {
    formatVersion: 1,
    inputShape: [...inputShape],
    layers,
    outputs: out.units,
    loss: out.loss,
    task: opts.task,
  };
}

/** Values per input row (h·w·c for images). */
export function planInputWidth(plan: ModelPlan): number {
  return plan.inputShape.reduce((a, b) => a * b, 1);
}
