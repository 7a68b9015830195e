import type { Selectable } from 'kysely';
import type {
  AliasChange,
  EpochRecord,
  GateRecord,
  JsonObject,
  JsonValue,
  PipelineRecord,
  RecordedError,
  RunEvent,
  RunRecord,
  RunStatus,
  RunTrigger,
  StepRecord,
  StepStatus,
  VersionRecord,
} from './metadata-records.js';
import type {
  AliasHistoryTable,
  EpochMetricsTable,
  PipelinesTable,
  RunEventsTable,
  RunsTable,
  StepsTable,
  VersionsTable,
} from './schema/database.js';

/** JSON for a text column (null stays SQL NULL). */
export function toJsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJsonText<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/** Integers may come back as strings (PostgreSQL bigint); times are plain numbers in records. */
function num(v: number | string): number;
function num(v: number | string | null): number | null;
function num(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}

function recordedError(code: string | null, message: string | null): RecordedError | null {
  return code === null && message === null
    ? null
    : { code: code ?? 'MYELIN_ERR_INTERNAL', message: message ?? '' };
}

export function toPipeline(r: Selectable<PipelinesTable>): PipelineRecord {
  return {
    name: r.name,
    latestSpecHash: r.latest_spec_hash,
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
  };
}

export function toRun(r: Selectable<RunsTable>): RunRecord {
  return {
    id: r.id,
    pipeline: r.pipeline,
    status: r.status as RunStatus,
    trigger: r.trigger as RunTrigger,
    specHash: r.spec_hash,
    specText: r.spec_text,
    parentRunId: r.parent_run_id,
    createdAt: num(r.created_at),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    error: recordedError(r.error_code, r.error_message),
    summary: fromJsonText<JsonObject>(r.summary),
    specFile: r.spec_file ?? null,
    options: fromJsonText<JsonObject>(r.run_options ?? null),
  };
}

export function toStep(r: Selectable<StepsTable>): StepRecord {
  return {
    runId: r.run_id,
    name: r.name,
    status: r.status as StepStatus,
    createdAt: num(r.created_at),
    startedAt: num(r.started_at),
    finishedAt: num(r.finished_at),
    attempt: num(r.attempt),
    logs: r.logs,
    error: recordedError(r.error_code, r.error_message),
    outputs: fromJsonText<JsonObject>(r.outputs),
    cacheKey: r.cache_key,
    leaseUntil: num(r.lease_until ?? null),
  };
}

export function toEpoch(r: Selectable<EpochMetricsTable>): EpochRecord {
  return {
    runId: r.run_id,
    step: r.step,
    epoch: num(r.epoch),
    metrics: fromJsonText<Record<string, number>>(r.metrics) ?? {},
    durationMs: num(r.duration_ms),
    recordedAt: num(r.recorded_at),
  };
}

export function toEvent(r: Selectable<RunEventsTable>): RunEvent {
  return {
    id: num(r.id),
    runId: r.run_id,
    type: r.type,
    payload: fromJsonText<JsonValue>(r.payload),
    ts: num(r.ts),
  };
}

export function toVersion(r: Selectable<VersionsTable>, aliases: string[]): VersionRecord {
  return {
    model: r.model,
    version: num(r.version),
    manifestKey: r.manifest_key,
    metrics: fromJsonText<Record<string, number>>(r.metrics) ?? {},
    gates: fromJsonText<Record<string, GateRecord>>(r.gates) ?? {},
    runId: r.run_id,
    specHash: r.spec_hash,
    dataHash: r.data_hash,
    codeVersion: r.code_version,
    createdAt: num(r.created_at),
    aliases: [...aliases].sort(),
  };
}

export function toAliasChange(r: Selectable<AliasHistoryTable>): AliasChange {
  return {
    id: num(r.id),
    model: r.model,
    alias: r.alias,
    fromVersion: num(r.from_version),
    toVersion: num(r.to_version),
    who: r.who,
    why: r.why,
    at: num(r.at),
  };
}
