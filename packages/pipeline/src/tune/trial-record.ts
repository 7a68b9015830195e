import type { TrialParams } from './trial-params.js';

/** How a trial ended: trained to its end, stopped at an ASHA rung, failed, or stopped with its run. */
export type TrialStatus = 'succeeded' | 'pruned' | 'failed' | 'cancelled';

/** What the tune step records of one trial (in its outputs, and as a JSON artifact per trial). */
export interface TrialRecord {
  index: number;
  params: TrialParams;
  status: TrialStatus;
  /** The objective on the validation split; null for a trial that did not finish. */
  metric: number | null;
  /** Epochs trained; for a pruned trial, the rung it stopped at. */
  epochsRun: number;
  /** The ASHA rung (epoch) a pruned trial stopped at; null otherwise. */
  rung: number | null;
  /**
   * The per-epoch curve: validation loss (training loss without a validation split); NaN for the
   * epochs a resumed trial trained before its checkpoint (null in JSON).
   */
  curve: number[];
  /** The trained model's outputs (model files, history): what the train step passes on when it wins. */
  outputs: Record<string, unknown> | null;
  error?: string;
}
