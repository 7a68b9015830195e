/**
 * The retraining tables (migration `005_retrain`) as Kysely sees them. Times are epoch
 * milliseconds (bigint on PostgreSQL, read back with `Number()`).
 */
export interface SchedulesTable {
  pipeline: string;
  /** 5-field cron expression. */
  cron: string;
  /** IANA time zone the expression is read in. */
  timezone: string;
  spec_text: string;
  spec_file: string | null;
  /** JSON text: the step options scheduled runs start with. */
  run_options: string | null;
  created_at: number;
  updated_at: number;
}

export interface RetrainTriggersTable {
  /** The id of the `serving.drift` run event handled. */
  event_id: number;
  model: string;
  version: number;
  /** The run that trained the drifting version. */
  parent_run_id: string | null;
  pipeline: string | null;
  /** `started`, `skipped` or `failed`. */
  decision: string;
  reason: string;
  /** The retraining run started, if any. */
  run_id: string | null;
  created_at: number;
}

export interface RetrainClaimsTable {
  model: string;
  run_id: string | null;
  claimed_at: number;
}

/** The slice of the database schema the retrain store works on. */
export interface RetrainDatabase {
  schedules: SchedulesTable;
  retrain_triggers: RetrainTriggersTable;
  retrain_claims: RetrainClaimsTable;
}
