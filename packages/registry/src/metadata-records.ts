/** A JSON value as stored in JSON text columns. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const RUN_TRIGGERS = ['cli', 'api', 'schedule', 'drift'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cached'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** An error recorded on a run or a step. */
export interface RecordedError {
  code: string;
  message: string;
}

/** A pipeline known to the store (created by its first run). Times are epoch milliseconds. */
export interface PipelineRecord {
  name: string;
  latestSpecHash: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One pipeline run. Times are epoch milliseconds. */
export interface RunRecord {
  /** Sortable unique id (`r-` + a lower-case ULID): later runs sort after earlier ones. */
  id: string;
  pipeline: string;
  status: RunStatus;
  trigger: RunTrigger;
  specHash: string;
  specText: string;
  parentRunId: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  error: RecordedError | null;
  summary: JsonObject | null;
  /** Absolute path of the pipeline file the run was submitted as (relative data paths start in its folder), when recorded. */
  specFile: string | null;
  /** The step options the run was submitted with (e.g. `{ allowOutside, noCache }`), when recorded. */
  options: JsonObject | null;
}

/** One step of a run. */
export interface StepRecord {
  runId: string;
  name: string;
  status: StepStatus;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** How many times the step was started (1 on the first start). */
  attempt: number;
  /** Everything appended with `appendStepLog`, in order. */
  logs: string;
  error: RecordedError | null;
  /** Artifact refs the step produced, e.g. `{ model: 'sha256/ab/…' }`. */
  outputs: JsonObject | null;
  cacheKey: string | null;
  /**
   * Until when the worker running this step holds it (epoch ms): pushed forward by `heartbeatStep`
   * each time the worker renews the job's lock, cleared when the step starts again; null when no
   * heartbeat came yet. A running step whose lease passed has lost its worker.
   */
  leaseUntil: number | null;
}

/** A run with its steps in creation order. */
export interface RunWithSteps extends RunRecord {
  steps: StepRecord[];
}

/** The metrics of one training epoch. */
export interface EpochRecord {
  runId: string;
  step: string;
  epoch: number;
  metrics: Record<string, number>;
  durationMs: number | null;
  recordedAt: number;
}

/** One event of a run, for live progress streams (`id` increases; resume with `afterId`). */
export interface RunEvent {
  id: number;
  runId: string;
  type: string;
  payload: JsonValue;
  ts: number;
}

/** The outcome of one evaluation gate as registered with a version. */
export interface GateRecord {
  passed: boolean;
  value: number;
  bound: string;
}

/** A registered model. */
export interface ModelRecord {
  name: string;
  createdAt: number;
  latestVersion: number | null;
}

/** A registered model version. */
export interface VersionRecord {
  model: string;
  /** 1, 2, 3, … per model. */
  version: number;
  manifestKey: string;
  metrics: Record<string, number>;
  gates: Record<string, GateRecord>;
  runId: string;
  specHash: string;
  dataHash: string;
  codeVersion: string;
  createdAt: number;
  /** Aliases pointing at this version now, sorted. */
  aliases: string[];
}

/** A model with all its versions (ascending) and aliases. */
export interface ModelDetail extends ModelRecord {
  versions: VersionRecord[];
  /** alias → version */
  aliases: Record<string, number>;
}

/** One move of an alias. `fromVersion` null: the alias was created; `toVersion` null: removed. */
export interface AliasChange {
  id: number;
  model: string;
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  who: string;
  why: string;
  at: number;
}
