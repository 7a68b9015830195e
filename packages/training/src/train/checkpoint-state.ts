import type { EngineName } from '../engine/training-engine.js';
import type { EpochEvent } from './train-types.js';

/** A tensor's values with its name, shape and dtype (int32 values are stored as floats). */
export interface NamedArray {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array;
}

/**
 * Everything needed to continue a run exactly where it stopped. No random-generator state is
 * stored: the shuffle of epoch e is derived from (seed, e) and the dropout masks from
 * (seed, e, step, layer), so a resumed run replays the same randomness.
 */
export interface CheckpointState {
  formatVersion: 2;
  /** The engine that wrote it: its optimizer state resumes only there (weights resume anywhere). */
  engine: EngineName;
  /** Epochs completed. */
  epoch: number;
  /** Planned number of epochs. */
  epochs: number;
  seed: number;
  /** Learning rate of the last completed epoch. */
  learningRate: number;
  /** Every weight under its canonical name, in model-file order (see `weightSpecs`). */
  weights: NamedArray[];
  /** Optimizer name and its state in the engine's own layout. */
  optimizer: string;
  optimizerWeights?: NamedArray[];
  /** Name of the monitored metric, its best value, that epoch, and epochs since it improved. */
  monitor: string;
  bestMetric?: number;
  bestEpoch?: number;
  wait: number;
  /** Weights of the best epoch, kept when `restoreBestWeights` is on. */
  bestWeights?: NamedArray[];
  history: EpochEvent[];
}
