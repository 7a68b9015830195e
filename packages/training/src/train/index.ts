export { serializeCheckpoint, deserializeCheckpoint } from './checkpoint-codec.js';
export type { CheckpointState, NamedArray } from './checkpoint-state.js';
export { rowClasses, sampleWeightsFor } from './class-weights.js';
export { clipGradients } from './clip-gradients.js';
export { createOptimizer, disposeOptimizer, setOptimizerLearningRate } from './create-optimizer.js';
export { learningRateAt } from './learning-rate-at.js';
export { MetricTracker } from './metric-tracker.js';
export { readOptimizerState, writeOptimizerState } from './optimizer-state.js';
export { predictBatches } from './predict-batches.js';
export { seededPermutation } from './seeded-permutation.js';
export {
  OPTIMIZER_NAMES,
  type EarlyStoppingConfig,
  type LrScheduleConfig,
  type OptimizerConfig,
  type TrainConfig,
} from './train-config.js';
export { trainModel } from './train-model.js';
export type { CheckpointSink, EpochEvent, TrainOptions, TrainResult, ValidationSet } from './train-types.js';
