import type { JsonObject } from '../metadata-records.js';

/** A cron schedule registered for a pipeline: scheduled runs start from its spec text. */
export interface ScheduleRecord {
  pipeline: string;
  /** 5-field cron expression (minute hour day-of-month month day-of-week). */
  cron: string;
  /** IANA time zone the expression is read in, e.g. `UTC`. */
  timezone: string;
  specText: string;
  /** The pipeline file the schedule was submitted as (relative data paths start in its folder). */
  specFile: string | null;
  /** The step options scheduled runs start with. */
  options: JsonObject | null;
  createdAt: number;
  updatedAt: number;
}

/** What `upsertSchedule` needs. */
export type NewSchedule = Omit<ScheduleRecord, 'createdAt' | 'updatedAt'>;

/** What the retrain controller decided about a drift event. */
export type RetrainDecision = 'started' | 'skipped' | 'failed';

/** One drift event the retrain controller handled. */
export interface RetrainTriggerRecord {
  /** The id of the `serving.drift` run event. */
  eventId: number;
  model: string;
  version: number;
  /** The run that trained the drifting version (the retraining run's parent). */
  parentRunId: string | null;
  pipeline: string | null;
  decision: RetrainDecision;
  /** Why: the drift that started a run, or why none was started. */
  reason: string;
  /** The retraining run, when one was started. */
  runId: string | null;
  createdAt: number;
}

/** A model's retraining claim: the last drift retraining started for it, and when. */
export interface RetrainClaim {
  model: string;
  runId: string | null;
  claimedAt: number;
}
