import type { MlflowMetric, MlflowParam, MlflowRunStatus, MlflowTag } from './mlflow-types.js';

/** What is delivered for a finished Myelin run (captured when it was queued). */
export interface RunPayload {
  runId: string;
  /** The MLflow experiment: the pipeline's name. */
  experiment: string;
  status: MlflowRunStatus;
  startTime: number;
  endTime: number;
  /** `myelin.*` tags, sent when the MLflow run is created. */
  tags: MlflowTag[];
  /** The resolved spec's leaves, `field.path` → string. */
  params: MlflowParam[];
  /** Per-epoch metrics (`step` = epoch), then the test metrics (`test_<name>`, step 0). */
  metrics: MlflowMetric[];
  /** Artifacts to upload under the run's artifact root when the server proxies artifacts. */
  artifacts: { path: string; key: string }[];
  /** The tune trials of the train step, mirrored as child runs (absent for a run without `tune:`). */
  trials?: TrialPayload[];
}

/** One tune trial, mirrored as an MLflow child run of its Myelin run's MLflow run. */
export interface TrialPayload {
  /** 0-based trial index. */
  index: number;
  status: MlflowRunStatus;
  /** `myelin.trial.*` tags (index, status, rung, error). */
  tags: MlflowTag[];
  /** The trial's parameters, `field.path` → string. */
  params: MlflowParam[];
  /** The curve (`step` = epoch) and the objective (step = epochs run). */
  metrics: MlflowMetric[];
}

/** What is delivered for a registered Myelin version. */
export interface VersionPayload {
  model: string;
  version: number;
  manifestKey: string;
  runId: string;
  /** The pipeline (MLflow experiment) of the run that registered it, to link the MLflow run. */
  experiment: string | null;
  /** Where the manifest lives (`s3://…`, `file:///…`), or null when the mirror has no artifact store. */
  location: string | null;
  description: string;
  tags: MlflowTag[];
}

/** What is delivered for an alias move (`version` null: the alias was removed). */
export interface AliasPayload {
  model: string;
  alias: string;
  version: number | null;
  /** Manifest key of the target version: how its MLflow version is found. */
  manifestKey: string | null;
}

/** Outbox entity id of a version. */
export function versionEntityId(model: string, version: number): string {
  return `${model}@${version}`;
}

/** Outbox entity id of an alias move; `move` is the alias history id (or `v<version>` without history). */
export function aliasEntityId(model: string, alias: string, move: number | string): string {
  return `${aliasEntityPrefix(model, alias)}${typeof move === 'number' ? String(move).padStart(12, '0') : move}`;
}

/** The prefix every move of one alias shares. */
export function aliasEntityPrefix(model: string, alias: string): string {
  return `${model}:${alias}#`;
}

/** Tag names the mirror writes and looks up by. */
export const MYELIN_TAGS = {
  runId: 'myelin.run_id',
  trial: 'myelin.trial_of',
  manifest: 'myelin.manifest',
  batches: 'myelin.mirror.batches',
  skipped: 'myelin.mirror.skipped',
} as const;
