import type { EpochRecord, RunRecord, RunWithSteps } from '@myelin/registry';
import { parseStoredRunSummary } from '@myelin/pipeline';

const duration = (a: number | null, b: number | null): number | null =>
  a !== null && b !== null ? b - a : null;

/** A run as lists show it: no spec text, no summary blob; its duration and model. */
export function runView(r: RunRecord) {
  const summary = parseStoredRunSummary(r.summary, r.id);
  return {
    id: r.id,
    pipeline: r.pipeline,
    status: r.status,
    trigger: r.trigger,
    specHash: r.specHash,
    parentRunId: r.parentRunId,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: duration(r.startedAt, r.finishedAt),
    error: r.error,
    model: summary.model ?? null,
  };
}

/** A run with its steps, epochs, test metrics, gate verdicts and model. */
export function runDetailView(r: RunWithSteps, epochs: EpochRecord[]) {
  const summary = parseStoredRunSummary(r.summary, r.id);
  return {
    ...runView(r),
    steps: r.steps.map((s) => ({
      name: s.name,
      status: s.status,
      attempt: s.attempt,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      durationMs: duration(s.startedAt, s.finishedAt),
      error: s.error,
      outputs: s.outputs,
    })),
    epochs: epochs.map((e) => ({
      step: e.step,
      epoch: e.epoch,
      metrics: e.metrics,
      durationMs: e.durationMs,
    })),
    metrics: { test: summary.metrics?.test ?? {} },
    gates: summary.gates ?? {},
    comparison: summary.comparison ?? null,
    manifest: summary.manifest ?? null,
    backend: summary.backend ?? null,
    engine: summary.engine ?? null,
    exitCode: summary.exitCode ?? null,
    specText: r.specText,
  };
}
