import type { LossName } from './loss-names.js';

/** Activation functions a layer may use (the pipeline file's names), in the order messages list them. */
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

/** An activation function (see `ACTIVATIONS`). */
export type Activation = (typeof ACTIVATIONS)[number];

/** L1 / L2 penalty on a layer's kernel, added to the training loss. */
export interface KernelRegularizerSpec {
  l1?: number;
  l2?: number;
}

/**
 * One hidden layer of `model.layers` in the pipeline file. Owned here, where models are built;
 * the spec package's schema is checked against it at compile time.
 */
export type LayerSpec =
  | { dense: { units: number; activation?: Activation; kernelRegularizer?: KernelRegularizerSpec } }
  | { dropout: { rate: number } }
  | { batchNormalization: { momentum?: number; epsilon?: number } }
  | {
      conv2d: {
        filters: number;
        kernelSize: number | [number, number];
        strides?: number | [number, number];
        padding?: 'valid' | 'same';
        activation?: Activation;
        kernelRegularizer?: KernelRegularizerSpec;
      };
    }
  | { maxPooling2d: { poolSize: number | [number, number]; strides?: number | [number, number] } }
  | { flatten: Record<string, never> };

/** Overrides of the output layer that otherwise follows from the task. */
export interface OutputSpec {
  activation?: Activation;
  /** A loss the trainer implements (see `LOSS_NAMES`). */
  loss?: LossName;
}
