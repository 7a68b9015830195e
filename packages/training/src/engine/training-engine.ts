import type { ModelPlan } from '../model/model-plan.js';
import type { NamedArray } from '../train/checkpoint-state.js';
import type { OptimizerConfig } from '../train/train-config.js';
import type { BackendName } from './backend-info.js';

/** The engines Myelin trains on: libtorch through the native addon, or TensorFlow.js. */
export type EngineName = 'torch' | 'tfjs';

/** What `MYELIN_ENGINE` / `selectEngine({ prefer })` accept. */
export const ENGINE_NAMES: readonly EngineName[] = ['torch', 'tfjs'];

/**
 * The engine a process trains on, as logged, stored in manifests and shown on the status page.
 * (A type alias, not an interface, so it is JSON-assignable in run events.)
 */
export type EngineInfo = {
  engine: EngineName;
  /** `libtorch 1.13.0` / `tfjs 4.22.0`. */
  version: string;
  /** `cpu`, `cuda:0` (torch) or the tfjs backend (`wasm`, `cpu`, `tensorflow`, `tensorflow-gpu`). */
  device: string;
  /** Intra-op threads the engine computes with. */
  threads: number;
  /** True when training runs on a CUDA device. */
  gpu: boolean;
  /** The tfjs backend (tfjs engine only). */
  backend?: BackendName;
  /** One line per candidate skipped before this one. */
  reason: string[];
};

/** Rows held in JS memory, row-major. */
export interface RowSet {
  /** n×d features. */
  x: Float32Array;
  /** n×k targets. */
  y: Float32Array;
  n: number;
  /** Per-sample loss weights (class weights), n values. */
  w?: Float32Array;
}

/** What a session trains: the model, the data, and the step's fixed settings. */
export interface SessionOptions {
  plan: ModelPlan;
  /** Canonical weights to start from (see `weightSpecs`). */
  weights: NamedArray[];
  train: RowSet;
  validation?: RowSet;
  optimizer: OptimizerConfig;
  batchSize: number;
  /** Seed of the shuffles and dropout masks. */
  seed: number;
  clipNorm?: number;
  clipValue?: number;
}

/** One epoch's figures, before the loop adds its own. */
export interface EpochStats {
  /** Mean training objective over the epoch's batches (class weights and penalties included). */
  loss: number;
  /** Mean training score: accuracy, or mean absolute error for regression. */
  score: number;
  /** Wall time of the training phase (validation excluded). */
  trainMs: number;
  valLoss?: number;
  valScore?: number;
}

/** An optimizer's state, in the engine's own layout (it resumes only on the same engine). */
export interface OptimizerSnapshot {
  engine: EngineName;
  slots: NamedArray[];
}

/**
 * An open training session: the model's weights and optimizer state live in the engine, and
 * whole epochs run there. Not re-entrant: one call at a time.
 */
export interface TrainingSession {
  /**
   * Trains one epoch (rows visited in an order seeded by (seed, epoch); dropout masks seeded by
   * (seed, epoch)) at this learning rate, then evaluates the validation rows.
   * @throws MYELIN_ERR_TRAIN naming the epoch (and step) when the loss stops being finite.
   */
  runEpoch(epoch: number, learningRate: number): Promise<EpochStats>;
  getWeights(): Promise<NamedArray[]>;
  setWeights(weights: readonly NamedArray[]): Promise<void>;
  getOptimizerState(): Promise<OptimizerSnapshot>;
  setOptimizerState(state: OptimizerSnapshot): Promise<void>;
  /** Outputs (n×k, row-major) in inference mode. */
  predict(x: Float32Array, n: number): Promise<Float32Array>;
  dispose(): void;
}

/** A flavor of the engine port, opened once per process by `selectEngine`. */
export interface TrainingEngine {
  readonly info: EngineInfo;
  open(opts: SessionOptions): Promise<TrainingSession>;
}
