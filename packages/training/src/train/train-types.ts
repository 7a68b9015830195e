import type { EngineInfo, TrainingEngine } from '../engine/training-engine.js';
import type { Task } from '../metrics/index.js';
import type { ModelDefinition } from '../model/model-file.js';
import type { CheckpointState } from './checkpoint-state.js';
import type { TrainConfig } from './train-config.js';

/** What `trainModel` reports after each epoch. */
export interface EpochEvent {
  /** 1-based epoch number. */
  epoch: number;
  /** Planned number of epochs. */
  epochs: number;
  /**
   * `loss` and `accuracy` (classification) or `mae` (regression) on the training batches as
   * trained (running mean over the epoch, like Keras), and `val_loss`, `val_accuracy` / `val_mae`
   * on the validation set after the epoch. `loss` includes class weights and regularization
   * penalties; `val_loss` includes the penalties but no class weights.
   */
  metrics: Record<string, number>;
  /** Wall time of the epoch, validation included. */
  durationMs: number;
  /** Training samples per second of the epoch's training phase. */
  samplesPerSec: number;
  /** Learning rate used in this epoch. */
  learningRate: number;
}

/** Where checkpoints go. */
export interface CheckpointSink {
  /** Epochs between checkpoints (default: `config.checkpointEvery`). */
  every?: number;
  save(state: CheckpointState): Promise<void>;
}

/** A held-out set, rows like `x`/`y`. */
export interface ValidationSet {
  x: Float32Array;
  y: Float32Array;
  n: number;
}

/** What `trainModel` needs. */
export interface TrainOptions {
  /** The engine to train on (see `selectEngine`). */
  engine: TrainingEngine;
  /** The plan and the weights to start from (see `initialModel`). */
  model: ModelDefinition;
  /** n×d row-major features. */
  x: Float32Array;
  /** n×k row-major targets: 0/1 (binary, k = 1), one-hot (multiclass), values (regression). */
  y: Float32Array;
  xShape: [number, number];
  yShape: [number, number];
  validation?: ValidationSet;
  config: TrainConfig;
  task: Task;
  /** Number of classes (informational; k of `yShape` rules). */
  classes?: number;
  onEpoch?: (e: EpochEvent) => void | Promise<void>;
  checkpoint?: CheckpointSink;
  /** Continue a run from its checkpoint: epoch + 1 onwards, weights and optimizer state restored. */
  resumeFrom?: CheckpointState;
  /** Checked at every epoch boundary; `true` writes a checkpoint and returns `stopped: true`. */
  shouldStop?: () => boolean;
  log?: (m: string) => void;
}

/** What `trainModel` returns. */
export interface TrainResult {
  /** The trained model: the plan and its final weights (the best epoch's, when restored). */
  model: ModelDefinition;
  /** The engine it trained on. */
  engine: EngineInfo;
  /** Every epoch so far, those of a resumed checkpoint included. */
  history: EpochEvent[];
  /** Epoch with the best monitored metric (0 when no epoch ran). */
  bestEpoch: number;
  /** Set when early stopping's `restoreBestWeights` put back the weights of this epoch. */
  restoredEpoch?: number;
  /** Early stopping ended the run. */
  stoppedEarly: boolean;
  /** `shouldStop()` ended the run (a checkpoint was written when a sink was given). */
  stopped: boolean;
  /** Number of the last completed epoch (resumed epochs included). */
  epochsRun: number;
  /** Training samples per second over the epochs run by this call. */
  samplesPerSec: number;
}
