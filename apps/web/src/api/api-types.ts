/**
 * The shapes the status page reads from the queue API. They mirror the server's records
 * (packages/registry metadata-records, packages/pipeline RunSummary and RunEvent) without importing
 * server code: the page is built for the browser alone. Times are epoch milliseconds.
 */

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cached';

export interface RecordedError {
  code: string;
  message: string;
}

export interface GateResult {
  passed: boolean;
  value: number;
  /** Human-readable bound, e.g. ">= 0.95" or "<= champion 0.031 + 0.01". */
  bound: string;
  kind?: 'absolute' | 'champion';
}

/** The model a run registered. */
export interface ModelRef {
  name: string;
  version: number;
  manifest?: string;
  aliases?: string[];
}

/** A run as `GET /api/runs` lists it. */
export interface RunRecord {
  id: string;
  pipeline: string;
  status: RunStatus;
  trigger: string;
  specHash?: string;
  parentRunId?: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs?: number | null;
  error: RecordedError | null;
  model: ModelRef | null;
}

export interface StepRecord {
  name: string;
  status: StepStatus;
  attempt?: number;
  startedAt: number | null;
  finishedAt: number | null;
  durationMs?: number | null;
  error: RecordedError | null;
  outputs?: Record<string, unknown> | null;
}

/** The champion comparison of the evaluate step (`evaluate.compareTo`). */
export interface ChampionComparison {
  alias: string;
  version: number | null;
  note: string;
  metrics: Record<
    string,
    { candidate: number; champion: number; passed: boolean; direction: 'higher' | 'lower' }
  >;
}

/** The training engine of a run (`RunSummary.engine` of @myelin/pipeline). */
export interface EngineSummary {
  name: string;
  version: string;
  device: string;
  threads: number;
}

/** A run as `GET /api/runs/:id` shows it. */
export interface RunDetail extends RunRecord {
  steps: StepRecord[];
  epochs?: EpochPoint[];
  metrics?: { test?: Record<string, number> };
  gates?: Record<string, GateResult>;
  comparison?: ChampionComparison | null;
  manifest?: string | null;
  backend?: string | null;
  engine?: EngineSummary | null;
  exitCode?: number | null;
  specText?: string;
}

/** `GET /api/runs`. */
export interface RunList {
  runs: RunRecord[];
  nextCursor: string | null;
}

/** `POST /api/runs` → 202. */
export interface SubmittedRun {
  runId: string;
  pipeline?: string;
}

/** One epoch of training as the page draws it. */
export interface EpochPoint {
  step?: string;
  epoch: number;
  epochs?: number;
  metrics: Record<string, number>;
  durationMs?: number | null;
}

/** A live event of a run (RunEvent of @myelin/pipeline), with the stream's event id. */
export type RunEvent =
  | { type: 'step'; step: string; status: StepStatus; durationMs?: number; error?: string }
  | {
      type: 'epoch';
      step: string;
      epoch: number;
      epochs: number;
      metrics: Record<string, number>;
      durationMs: number;
      samplesPerSec?: number;
      learningRate?: number;
    }
  | { type: 'log'; step: string; message: string }
  | {
      type: 'engine';
      step: string;
      engine: { engine: string; version: string; device: string; threads: number; reason: string[] };
    }
  | { type: 'end'; status?: RunStatus; exitCode?: number | null; error?: RecordedError | null };

export interface ModelRecord {
  name: string;
  createdAt: number;
  latestVersion: number | null;
  /** alias → version */
  aliases?: Record<string, number>;
}

export interface VersionRecord {
  model: string;
  version: number;
  manifestKey: string;
  metrics: Record<string, number>;
  gates: Record<string, GateResult>;
  runId: string;
  specHash: string;
  dataHash: string;
  codeVersion: string;
  createdAt: number;
  aliases: string[];
}

export interface AliasChange {
  alias: string;
  fromVersion: number | null;
  toVersion: number | null;
  who: string;
  why: string;
  at: number;
}

export interface ModelDetail extends ModelRecord {
  versions: VersionRecord[];
  /** alias → version */
  aliases: Record<string, number>;
  /** Every alias move, oldest first. */
  aliasHistory?: AliasChange[];
}

/** The evaluation report stored by the evaluate step (EvaluationReport plus the gate verdict). */
export interface EvaluationReport {
  task: 'binary' | 'multiclass' | 'regression';
  n: number;
  metrics: Record<string, number>;
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
  confusionMatrix?: number[][];
  reliability?: { lower: number; upper: number; count: number; accuracy: number; confidence: number }[];
  classes?: string[];
  gates?: { passed?: boolean; gates?: Record<string, GateResult>; comparison?: ChampionComparison };
}

export interface ColumnProfile {
  name: string;
  type: string;
  count: number;
  missing: number;
  distinct: number;
  distinctApproximate?: boolean;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  histogram?: { edges: number[]; counts: number[] };
  topValues?: { value: string; count: number }[];
  nonFinite?: number;
}

export interface Anomaly {
  column: string;
  rule: string;
  severity: 'error' | 'warning';
  count: number;
  message: string;
  exampleRows?: number[];
}

/** The validation report stored by the validate step (TableReport of @myelin/data). */
export interface ValidationReport {
  rows: number;
  schema?: { columns: { name: string; type: string; nullable: boolean }[] };
  profile: { rows: number; columns: ColumnProfile[] };
  anomalies: Anomaly[];
  task?: string;
  targetClasses?: string[];
}

/** One located problem of an error response (what the CLI prints for a bad pipeline file). */
export interface ApiErrorDetail {
  message: string;
  code?: string;
  line?: number;
  column?: number;
  path?: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: ApiErrorDetail[] };
}

/** `POST /api/models/:name/versions/:version/verify` (proposed): every file re-hashed. */
export interface VerifyResult {
  ok: boolean;
  problems: { file: string; key: string; problem: string }[];
  manifest?: { files?: Record<string, unknown> | unknown[] } | null;
}

/** One trial of a run's hyperparameter search (`GET /api/runs/:id/trials`). */
export interface TrialView {
  index: number;
  params: Record<string, number | string | boolean>;
  status: 'succeeded' | 'pruned' | 'failed' | 'cancelled';
  metric: number | null;
  epochsRun: number;
  rung: number | null;
  curve: (number | null)[];
  error?: string;
}

/** `GET /api/runs/:id/trials`. */
export interface TrialsResponse {
  runId: string;
  tune: { strategy: string; metric: string; direction: string; bestTrial: number; bestMetric: number } | null;
  trials: TrialView[];
}
