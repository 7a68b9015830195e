import type { Task } from '@myelin/data';
import type { TuneSection } from '@myelin/spec';
import type { StepName } from '../plan/compile-plan.js';
import type { ChampionComparison, GateVerdict } from '../gates/evaluate-gates.js';
import type { TrialParams } from '../tune/trial-params.js';
import type { TrialSummary } from '../tune/run-tune.js';

// Type aliases, not interfaces: each must stay assignable to the JSON record (`StepOutputs`) that
// the executors store and pass between steps.

/** What `ingest` passes on: the stored dataset (Arrow parts) and where it came from. */
export type IngestOutputs = {
  dataset: string;
  dataHash: string;
  rows: number;
  source: string;
  /** How many S3 objects were read (an `s3://` source only). */
  objects?: number;
};

/** What `validate` passes on: the stored report and the task it settled on. */
export type ValidateOutputs = {
  report: string;
  task: Task | null;
  classes: string[] | null;
  anomalies: number;
  errors: number;
};

/** What `preprocess` passes on: the fitted preprocessing, the split and the encoded tensors. */
export type PreprocessOutputs = {
  preprocessor: string;
  targetEncoder: string;
  splits: string;
  tensors: string;
  task: Task;
  inputShape: number[];
  outputs: number;
  classes: string[] | null;
  sizes: { train: number; validation: number; test: number };
};

/** The training engine a model version records (`engineRecord`). */
export type EngineRecord = { name: string; version: string; device: string; threads: number };

/** What one training passes on: the model files and how the training went. */
export type TrainedOutputs = {
  model: string;
  modelJson: string;
  weights: string;
  history: string;
  engine: EngineRecord;
  /** The engine's device summary (`torch:cpu`, `wasm`, …). */
  backend: string;
  bestEpoch: number;
  restoredEpoch?: number;
  epochsRun: number;
  stoppedEarly: boolean;
  stopped: boolean;
  resumedFromEpoch: number;
  samplesPerSec: number;
};

/** The search a `tune:` section ran, as the train step records it. */
export type TuneOutcome = {
  strategy: TuneSection['strategy'];
  metric: string;
  direction: 'max' | 'min';
  bestTrial: number;
  bestParams: TrialParams;
  bestMetric: number | null;
};

/** What `train` passes on: one training's outputs, with the search around it under `tune:`. */
export type TrainOutputs = TrainedOutputs & { tune?: TuneOutcome; trials?: TrialSummary[] };

/** What `evaluate` passes on: the stored evaluation, its test metrics and the gates' verdict. */
export type EvaluateOutputs = {
  evaluation: string;
  metrics: Record<string, number>;
  gates: Record<string, GateVerdict>;
  passed: boolean;
  comparison: ChampionComparison | null;
};

/** What `register` passes on: the registered version and its manifest. */
export type RegisterOutputs = {
  manifest: string;
  model: string;
  version: number;
  aliases: string[];
};

/**
 * The outputs of each step, by name: the one declaration of their shapes. The step definitions are
 * typed against it (`STEPS`), so a step that returns another shape does not compile.
 */
export type StepOutputMap = {
  ingest: IngestOutputs;
  validate: ValidateOutputs;
  preprocess: PreprocessOutputs;
  train: TrainOutputs;
  evaluate: EvaluateOutputs;
  register: RegisterOutputs;
};

// compiles only while StepOutputMap names every step and no other
const _everyStep: [Exclude<StepName, keyof StepOutputMap> | Exclude<keyof StepOutputMap, StepName>] extends [
  never,
]
  ? true
  : false = true;
