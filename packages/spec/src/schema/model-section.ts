import { z } from 'zod';
import {
  fraction,
  intOrPair,
  listOf,
  nonNegativeNumber,
  num,
  oneOf,
  positiveInt,
  positiveNumber,
} from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

/** Activation functions a layer may use. */
export const ACTIVATIONS = [
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'linear',
  'elu',
  'selu',
  'gelu',
  'swish',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Loss functions `model.output.loss` may name (TensorFlow.js names). */
export const LOSSES = [
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'meanSquaredLogarithmicError',
  'logcosh',
  'poisson',
] as const;
export type Loss = (typeof LOSSES)[number];

const activation = () => oneOf(ACTIVATIONS).optional().describe('Activation function; linear when omitted.');

/** L1 / L2 weight penalties. */
export const regularizerSchema = mapping({
  l1: nonNegativeNumber().optional().describe('L1 penalty factor.'),
  l2: nonNegativeNumber().optional().describe('L2 penalty factor.'),
});

/** A fully connected layer. */
export const denseLayerSchema = mapping({
  units: positiveInt().describe('Number of units.'),
  activation: activation(),
  kernelRegularizer: regularizerSchema.optional(),
});

/** Randomly zeroes a fraction of inputs while training. */
export const dropoutLayerSchema = mapping({
  rate: num({ min: 0, max: 1, maxExclusive: true }).describe('Fraction of inputs dropped, in [0, 1).'),
});

/** A mapping that may also be written as an empty value (`flatten:`), read as `{}`. */
function emptyable<T extends z.ZodType<Record<string, unknown>>>(schema: T) {
  return schema.nullable().transform((v) => (v ?? {}) as z.output<T>);
}

/** Normalizes activations per batch. */
export const batchNormalizationLayerSchema = emptyable(
  mapping({
    momentum: fraction().optional().describe('Momentum of the moving averages.'),
    epsilon: positiveNumber().optional().describe('Small number added to the variance.'),
  }),
);

/** A 2-D convolution over image data (needs data.shape). */
export const conv2dLayerSchema = mapping({
  filters: positiveInt().describe('Number of filters.'),
  kernelSize: intOrPair().describe('Kernel size: n or [rows, cols].'),
  strides: intOrPair().optional().describe('Strides: n or [rows, cols].'),
  padding: oneOf(['valid', 'same']).optional().describe('Padding; valid when omitted.'),
  activation: activation(),
  kernelRegularizer: regularizerSchema.optional(),
});

/** 2-D max pooling over image data. */
export const maxPooling2dLayerSchema = mapping({
  poolSize: intOrPair().describe('Pool size: n or [rows, cols].'),
  strides: intOrPair().optional().describe('Strides; the pool size when omitted.'),
});

/** Flattens image data to a vector. */
export const flattenLayerSchema = emptyable(mapping({}));

const layerShape = {
  dense: denseLayerSchema.optional(),
  dropout: dropoutLayerSchema.optional(),
  batchNormalization: batchNormalizationLayerSchema.optional(),
  conv2d: conv2dLayerSchema.optional(),
  maxPooling2d: maxPooling2dLayerSchema.optional(),
  flatten: flattenLayerSchema.optional(),
};

/** Layer type names, in the order they are listed in messages. */
export const LAYER_TYPES = Object.keys(layerShape) as (keyof typeof layerShape)[];
export type LayerType = (typeof LAYER_TYPES)[number];

/** Layers that need image data (`data.shape`). */
export const IMAGE_LAYER_TYPES: readonly LayerType[] = ['conv2d', 'maxPooling2d', 'flatten'];

export type DenseLayer = z.output<typeof denseLayerSchema>;
export type DropoutLayer = z.output<typeof dropoutLayerSchema>;
export type BatchNormalizationLayer = z.output<typeof batchNormalizationLayerSchema>;
export type Conv2dLayer = z.output<typeof conv2dLayerSchema>;
export type MaxPooling2dLayer = z.output<typeof maxPooling2dLayerSchema>;
export type FlattenLayer = z.output<typeof flattenLayerSchema>;
export type KernelRegularizer = z.output<typeof regularizerSchema>;

/** One hidden layer: a mapping with exactly one key, the layer type. */
export type LayerSpec =
  | { dense: DenseLayer }
  | { dropout: DropoutLayer }
  | { batchNormalization: BatchNormalizationLayer }
  | { conv2d: Conv2dLayer }
  | { maxPooling2d: MaxPooling2dLayer }
  | { flatten: FlattenLayer };

/** The type of a layer: the name of its one key. */
export function layerType(layer: LayerSpec): LayerType {
  return Object.keys(layer)[0] as LayerType;
}

/** A layer: exactly one of the known layer types as its single key. */
export const layerSchema = mapping(layerShape)
  .superRefine((layer, ctx) => {
    const types = Object.keys(layer).filter((k) => (layer as Record<string, unknown>)[k] !== undefined);
    if (types.length === 0) {
      addSpecIssue(ctx, [], `a layer needs exactly one type: one of ${LAYER_TYPES.join(', ')}`, {
        unlessUnknownKeys: true,
      });
    } else if (types.length > 1) {
      addSpecIssue(
        ctx,
        [types[1] as string],
        `a layer has exactly one type, got ${types.join(' and ')}; write each as its own list item`,
      );
    }
  })
  .transform((layer) => layer as LayerSpec)
  .describe(
    'A hidden layer, written as a mapping with one key naming its type, e.g. { dense: { units: 32 } }.',
  );

/** Override of the output layer the task implies. */
export const outputSchema = mapping({
  activation: oneOf(ACTIVATIONS)
    .optional()
    .describe('Output activation; by default sigmoid (binary), softmax (multiclass), linear (regression).'),
  loss: oneOf(LOSSES)
    .optional()
    .describe('Loss; by default binaryCrossentropy, categoricalCrossentropy or meanSquaredError by task.'),
});

/** The `model:` section: hidden layers; the output layer follows from the task. */
export const modelSectionSchema = mapping({
  layers: listOf(layerSchema, 'a list of layers').describe(
    'Hidden layers in order; the output layer is added from the task.',
  ),
  output: outputSchema.optional().describe('Override the output activation or loss the task implies.'),
});

export type ModelSection = z.output<typeof modelSectionSchema>;
export type OutputSettings = z.output<typeof outputSchema>;
