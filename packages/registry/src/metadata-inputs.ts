import type {
  GateRecord,
  JsonObject,
  RecordedError,
  RunStatus,
  RunTrigger,
  StepStatus,
} from './metadata-records.js';

/** What `createRun` needs. */
export interface NewRun {
  pipeline: string;
  trigger: RunTrigger;
  specHash: string;
  specText: string;
  /** @defaultValue a new sortable id */
  id?: string;
  /** @defaultValue 'queued' */
  status?: RunStatus;
  /** The run this one retrains or resumes from. @defaultValue null */
  parentRunId?: string | null;
  /** Absolute path of the pipeline file (its folder is where relative data paths start). @defaultValue null */
  specFile?: string | null;
  /** The step options of the run, so a queue can dispatch it again. @defaultValue null */
  options?: JsonObject | null;
}

/** Fields `updateRun` may change. `startedAt`/`finishedAt` default to now on entering running/a final status. */
export interface RunPatch {
  status?: RunStatus;
  startedAt?: number | null;
  finishedAt?: number | null;
  error?: RecordedError | null;
  summary?: JsonObject | null;
}

/** A page query over runs, newest first. */
export interface ListRunsQuery {
  status?: RunStatus | RunStatus[];
  pipeline?: string;
  /** @defaultValue 50 (at most 500) */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** Only these runs (one read for many runs: a process following several of them). */
  ids?: readonly string[];
}

/** Fields `upsertStep` may set. */
export interface StepPatch {
  status?: StepStatus;
  cacheKey?: string | null;
  outputs?: JsonObject | null;
}

/** How a step ended. */
export interface StepResult {
  status: Exclude<StepStatus, 'pending' | 'running'>;
  outputs?: JsonObject | null;
  error?: RecordedError | null;
  cacheKey?: string | null;
}

/** One epoch's metrics; re-sending the same (runId, step, epoch) replaces it. */
export interface NewEpoch {
  runId: string;
  step: string;
  epoch: number;
  metrics: Record<string, number>;
  durationMs?: number | null;
}

/** A page query over run events, oldest first. */
export interface ListEventsQuery {
  runId?: string;
  /** Only events with a larger id (the last id a client saw, e.g. Last-Event-ID). */
  afterId?: number;
  /**
   * Only the events of these runs, each after its own last seen id (one read for many followed
   * runs); not together with `runId` or `afterId`. An empty list reads nothing.
   */
  cursors?: readonly EventCursor[];
  /** @defaultValue 1000 (at most 10000) */
  limit?: number;
}

/** Where a reader of one run's events stands: the last event id it saw (0: none yet). */
export interface EventCursor {
  runId: string;
  afterId: number;
}

/** Who moves an alias, and why (kept in the alias history). */
export interface AliasActor {
  who: string;
  why?: string;
}

/** What `registerVersion` needs. */
export interface NewVersion {
  model: string;
  /** Content key of the stored manifest; a model registers each manifest once. */
  manifestKey: string;
  metrics: Record<string, number>;
  gates: Record<string, GateRecord>;
  runId: string;
  specHash: string;
  dataHash: string;
  codeVersion: string;
  /** Aliases to point at the new version, e.g. ['candidate']. @defaultValue [] */
  aliases?: string[];
  who: string;
  why?: string;
}
