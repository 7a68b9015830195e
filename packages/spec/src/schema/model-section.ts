import * as z from 'zod';
import {
  ACTIVATIONS,
  LOSS_NAMES,
  type KernelRegularizerSpec,
  type LayerSpec,
  type OutputSpec,
} from '@myelin/training/config';
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

export { ACTIVATIONS, type Activation, type LayerSpec } from '@myelin/training/config';

/** Loss functions `model.output.loss` may name: those the trainer implements (its names). */
export const LOSSES = LOSS_NAMES;
export type Loss = (typeof LOSSES)[number];

const activation = () => oneOf(ACTIVATIONS).optional().describe('Activation function; linear when omitted.');

/** L1 / L2 weight penalties. */
export const regularizerSchema = mapping({
  l1: nonNegativeNumber().optional().describe('L1 penalty factor.'),
  l2: nonNegativeNumber().optional().describe('L2 penalty factor.'),
}) satisfies z.ZodType<KernelRegularizerSpec>;

/** The settings of one layer type, as training owns them. */
type LayerSettings<K extends string> = Extract<LayerSpec, Record<K, unknown>>[K &
  keyof Extract<LayerSpec, Record<K, unknown>>];

/** A fully connected layer. */
export const denseLayerSchema = mapping({
  units: positiveInt().describe('Number of units.'),
  activation: activation(),
  kernelRegularizer: regularizerSchema.optional(),
}) satisfies z.ZodType<LayerSettings<'dense'>>;

/** Randomly zeroes a fraction of inputs while training. */
export const dropoutLayerSchema = mapping({
  rate: num({ min: 0, max: 1, maxExclusive: true }).describe('Fraction of inputs dropped, in [0, 1).'),
}) satisfies z.ZodType<LayerSettings<'dropout'>>;

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
) satisfies z.ZodType<LayerSettings<'batchNormalization'>>;

/** A 2-D convolution over image data (needs data.shape). */
export const conv2dLayerSchema = mapping({
  filters: positiveInt().describe('Number of filters.'),
  kernelSize: intOrPair().describe('Kernel size: n or [rows, cols].'),
  strides: intOrPair().optional().describe('Strides: n or [rows, cols].'),
  padding: oneOf(['valid', 'same']).optional().describe('Padding; valid when omitted.'),
  activation: activation(),
  kernelRegularizer: regularizerSchema.optional(),
}) satisfies z.ZodType<LayerSettings<'conv2d'>>;

/** 2-D max pooling over image data. */
export const maxPooling2dLayerSchema = mapping({
  poolSize: intOrPair().describe('Pool size: n or [rows, cols].'),
  strides: intOrPair().optional().describe('Strides; the pool size when omitted.'),
}) satisfies z.ZodType<LayerSettings<'maxPooling2d'>>;

/** Flattens image data to a vector. */
export const flattenLayerSchema = emptyable(mapping({})) satisfies z.ZodType<LayerSettings<'flatten'>>;

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
  .transform((layer): LayerSpec => {
    // superRefine has checked there is exactly one key
    if (layer.dense) return { dense: layer.dense };
    if (layer.dropout) return { dropout: layer.dropout };
    if (layer.batchNormalization) return { batchNormalization: layer.batchNormalization };
    if (layer.conv2d) return { conv2d: layer.conv2d };
    if (layer.maxPooling2d) return { maxPooling2d: layer.maxPooling2d };
    return { flatten: layer.flatten ?? {} };
  })
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
}) satisfies z.ZodType<OutputSpec>;

/** The `model:` section: hidden layers; the output layer follows from the task. */
export const modelSectionSchema = mapping({
  layers: listOf(layerSchema, 'a list of layers').describe(
    'Hidden layers in order; the output layer is added from the task.',
  ),
  output: outputSchema.optional().describe('Override the output activation or loss the task implies.'),
});

export type ModelSection = z.output<typeof modelSectionSchema>;
export type OutputSettings = z.output<typeof outputSchema>;
