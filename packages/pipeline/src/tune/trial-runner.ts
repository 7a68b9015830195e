import type { StepContext } from '../run/step-context.js';
import type { TrialParams } from './trial-params.js';
import type { TrialRecord } from './trial-record.js';

/** The trials of one search, as `runTune` hands them to a trial runner. */
export interface TuneTrials {
  /** Every trial's values, in trial order. */
  plan: TrialParams[];
  /** The objective measured on the validation split. */
  metric: string;
  /** Trials at once (in-process lanes; a queue runs as many as its workers take). */
  parallelism: number;
  /** ASHA's rung settings; null for grid and random search. */
  asha: { minEpochs: number; factor: number; maxEpochs: number } | null;
  /** Told of each trial as it ends (or as it is read back). */
  onTrial(record: TrialRecord): void;
}

/**
 * Where the trials of a search run. Two flavors, chosen where the train step is built
 * (`trainStepWith`): `inProcessTrials` (lanes in the step's own process: the embedded and local
 * executors) and `queuedTrials` (one child job per trial on the run's queue, which the BullMQ
 * worker enqueues and waits for without holding its slot, then hands the finished records in).
 * Either way each trial is `runTrial`: the trial's spec trained on the run's cached preprocessed
 * artifacts with its own checkpoint, its objective measured on the validation split.
 */
export interface TrialRunner {
  /** How the trials run, for the step's log (`2 at a time`, `as jobs on the queue`). */
  describe(trials: TuneTrials): string;
  /** Every trial's record, in trial order (a trial stopped by a cancel: status `cancelled`). */
  run(ctx: StepContext, trials: TuneTrials): Promise<TrialRecord[]>;
}
