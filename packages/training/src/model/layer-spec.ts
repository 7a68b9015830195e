/** Activation functions a layer may use (the pipeline file's names). */
export type Activation =
  'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'linear' | 'elu' | 'selu' | 'gelu' | 'swish';

/** L1 / L2 penalty on a layer's kernel, added to the training loss. */
export interface KernelRegularizerSpec {
  l1?: number;
  l2?: number;
}

/** One hidden layer of `model.layers` in the pipeline file (mirrors the spec package). */
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
  | { flatten: Record<string, never> | null };

/** Overrides of the output layer that otherwise follows from the task. */
export interface OutputSpec {
  activation?: Activation;
  /** A loss name known to the trainer (see `LOSS_NAMES` in the train folder). */
  loss?: string;
}
