/**
 * The shapes of the MLflow REST API 2.0 that the mirror sends and reads, as MLflow 2.10 writes
 * them (see the recorded transcript in ./fixtures). Only the fields Myelin uses are
 * typed; MLflow may send more.
 */

/** A key/value tag of an experiment, run, registered model or model version. */
export interface MlflowTag {
  key: string;
  value: string;
}

/** A run parameter; MLflow keeps values as strings and refuses to change one once logged. */
export interface MlflowParam {
  key: string;
  value: string;
}

/** A metric value on the wire: a finite number, or NaN/±Infinity spelled as strings (JSON has no NaN). */
export type MlflowMetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

/** One metric point. `timestamp` is epoch milliseconds; `step` the epoch (0 for one-off metrics). */
export interface MlflowMetric {
  key: string;
  value: MlflowMetricValue;
  timestamp: number;
  step: number;
}

/** An experiment as `experiments/get-by-name` returns it. */
export interface MlflowExperiment {
  experiment_id: string;
  name: string;
  artifact_location?: string;
  lifecycle_stage?: string;
  creation_time?: number;
  last_update_time?: number;
  tags?: MlflowTag[];
}

/** A run's status; Myelin maps succeeded → FINISHED, failed → FAILED, cancelled → KILLED. */
export type MlflowRunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

/** `run.info`. */
export interface MlflowRunInfo {
  run_id: string;
  run_uuid?: string;
  experiment_id: string;
  run_name?: string;
  status: MlflowRunStatus;
  start_time?: number;
  end_time?: number;
  /** e.g. `mlflow-artifacts:/1/<run>/artifacts` when the server proxies artifacts. */
  artifact_uri?: string;
  lifecycle_stage?: string;
}

/** `run.data`. */
export interface MlflowRunData {
  metrics?: MlflowMetric[];
  params?: MlflowParam[];
  tags?: MlflowTag[];
}

/** A run. */
export interface MlflowRun {
  info: MlflowRunInfo;
  data?: MlflowRunData;
}

/** An alias of a registered model. */
export interface MlflowAlias {
  alias: string;
  version: string;
}

/** A model version. MLflow numbers versions itself ("1", "2", …), independently of Myelin. */
export interface MlflowModelVersion {
  name: string;
  version: string;
  source?: string;
  run_id?: string;
  status?: string;
  description?: string;
  current_stage?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  tags?: MlflowTag[];
  aliases?: string[];
}

/** A registered model. */
export interface MlflowRegisteredModel {
  name: string;
  description?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  latest_versions?: MlflowModelVersion[];
  tags?: MlflowTag[];
  aliases?: MlflowAlias[];
}

/** The body of every MLflow error response. */
export interface MlflowErrorBody {
  error_code: string;
  message: string;
}

/** The value of a tag in a list of tags, or undefined. */
export function tagValue(tags: MlflowTag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.key === key)?.value;
}
