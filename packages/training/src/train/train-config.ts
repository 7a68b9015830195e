/** The optimizers the trainer implements, in the order messages list them. */
export const OPTIMIZER_NAMES = ['adam', 'sgd', 'momentum', 'rmsprop'] as const;

/** Optimizer of the `train` section. */
export interface OptimizerConfig {
  name: (typeof OPTIMIZER_NAMES)[number];
  learningRate: number;
  /** Momentum of `momentum` (default 0.9) and `rmsprop` (default 0). */
  momentum?: number;
}

/** Stop when the monitored metric has not improved by more than `minDelta` for `patience` epochs. */
export interface EarlyStoppingConfig {
  monitor: 'val_loss' | 'val_accuracy' | 'loss';
  patience: number;
  minDelta: number;
  /** Put back the weights of the best epoch when training ends (see `trainModel`). */
  restoreBestWeights: boolean;
}

/** Learning rate per epoch (see `learningRateAt`). */
export type LrScheduleConfig =
  | { type: 'step'; every: number; factor: number }
  | { type: 'exponential'; decay: number }
  | { type: 'cosine'; minLearningRate?: number };

/**
 * What the trainer needs of the `train` section. Owned here; the spec package's schema is checked
 * against its parts at compile time, and the pipeline maps class labels to indices.
 */
export interface TrainConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  earlyStopping?: EarlyStoppingConfig;
  lrSchedule?: LrScheduleConfig;
  /** Scale all gradients together so that their global L2 norm is at most this. */
  clipNorm?: number;
  /** Clip every gradient element to [−clipValue, clipValue] (after `clipNorm`). */
  clipValue?: number;
  /**
   * Per-class loss weights: `balanced` (n / (k · count_c)) or a map from class index (as a
   * string key, after the caller mapped labels to indices) to weight; unlisted classes weigh 1.
   */
  classWeights?: 'balanced' | Record<string, number>;
  seed: number;
  /** Epochs between checkpoints (used when `trainModel` gets no `checkpoint.every`). */
  checkpointEvery: number;
}
