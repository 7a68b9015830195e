import type { Generated } from 'kysely';

/**
 * The tables of the metadata store as Kysely sees them. Portable types only: JSON is text,
 * times are integer epoch milliseconds (bigint on PostgreSQL, read back with `Number()`),
 * no booleans in columns.
 */
export interface Database {
  pipelines: PipelinesTable;
  runs: RunsTable;
  steps: StepsTable;
  epoch_metrics: EpochMetricsTable;
  models: ModelsTable;
  versions: VersionsTable;
  aliases: AliasesTable;
  alias_history: AliasHistoryTable;
  run_events: RunEventsTable;
}

export interface PipelinesTable {
  name: string;
  latest_spec_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface RunsTable {
  id: string;
  pipeline: string;
  status: string;
  trigger: string;
  spec_hash: string;
  spec_text: string;
  parent_run_id: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  error_code: string | null;
  error_message: string | null;
  /** JSON text */
  summary: string | null;
  /** The pipeline file the run was submitted as (its folder is where relative data paths start). */
  spec_file: string | null;
  /** JSON text: the step options the run was submitted with. */
  run_options: string | null;
}

export interface StepsTable {
  run_id: string;
  name: string;
  /** Order of first creation within the run (0, 1, 2, …). */
  position: number;
  status: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  attempt: number;
  logs: string;
  error_code: string | null;
  error_message: string | null;
  /** JSON text */
  outputs: string | null;
  cache_key: string | null;
  /** Until when the worker running this step holds it (epoch ms), pushed forward by its heartbeats. */
  lease_until: number | null;
}

export interface EpochMetricsTable {
  run_id: string;
  step: string;
  epoch: number;
  /** JSON text */
  metrics: string;
  duration_ms: number | null;
  recorded_at: number;
}

export interface ModelsTable {
  name: string;
  created_at: number;
}

export interface VersionsTable {
  model: string;
  version: number;
  manifest_key: string;
  /** JSON text */
  metrics: string;
  /** JSON text */
  gates: string;
  run_id: string;
  spec_hash: string;
  data_hash: string;
  code_version: string;
  created_at: number;
}

export interface AliasesTable {
  model: string;
  alias: string;
  version: number;
  updated_at: number;
}

export interface AliasHistoryTable {
  id: Generated<number>;
  model: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  who: string;
  why: string;
  at: number;
}

export interface RunEventsTable {
  id: Generated<number>;
  run_id: string;
  type: string;
  /** JSON text */
  payload: string;
  ts: number;
}
