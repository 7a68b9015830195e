import type { JsonObject, MetadataStore, RecordedError, RunStatus, RunWithSteps } from '@myelin/registry';
import { compilePlan } from '../plan/compile-plan.js';
import { buildRunSummary, type RunSummary } from '../run/run-summary.js';
import { parseSpecCached } from './parsed-spec-cache.js';
import { queuedRunResult } from './queued-run-result.js';

const FINAL: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

/** True for succeeded, failed and cancelled. */
export function isFinalRunStatus(status: RunStatus): boolean {
  return FINAL.includes(status);
}

/** How a queued run ended. */
export type QueuedRunOutcome =
  | { kind: 'succeeded' }
  | {
      kind: 'failed';
      /** The step that failed for good (its retries used up, or not retryable). */
      step: string | null;
      /** Recorded on the step when it is still open (a crash never reached `runStep`'s own record). */
      error: RecordedError;
    };

/**
 * Ends a queued run in the metadata store, once: marks a failed step that a crash left open as
 * failed, the steps that never ran as skipped (as the in-process executor does), and writes the
 * run's status, error and summary (built by `buildRunSummary`, so the same shape as `runPipeline`'s).
 * A run that already ended is left as it is. Returns the summary, or null when the run had ended.
 * Calls for one run in one process go one after another (see `ending`).
 */
export async function finishQueuedRun(
  meta: MetadataStore,
  runId: string,
  outcome: QueuedRunOutcome,
  /**
   * The run as the caller read it, when nothing was written to it since (a step job whose step was
   * already recorded done), instead of reading it again. @defaultValue read from `meta`
   */
  known?: RunWithSteps,
): Promise<RunSummary | null> {
  const before = ending.get(runId);
  const mine = (before ?? Promise.resolve(null))
    .catch(() => null)
    // a call that waited on another reads the run again: the other may have ended it
    .then(() => finishOnce(meta, runId, outcome, before ? undefined : known));
  ending.set(runId, mine);
  try {
    return await mine;
  } finally {
    if (ending.get(runId) === mine) ending.delete(runId);
  }
}

/**
 * The `finishQueuedRun` calls of this process in flight, by run: the calls for one run go one after
 * another, so the ones after the first see the run ended and leave it as it is (the jobs a failed
 * step fails with it end the run too, at the same moment: their reads must not pass the first
 * call's write).
 */
const ending = new Map<string, Promise<RunSummary | null>>();

async function finishOnce(
  meta: MetadataStore,
  runId: string,
  outcome: QueuedRunOutcome,
  known?: RunWithSteps,
): Promise<RunSummary | null> {
  const before = known ?? (await meta.getRun(runId));
  if (!before || isFinalRunStatus(before.status)) return null;
  const plan = compilePlan(parseSpecCached(before.specText, before.specFile ?? `run ${runId}`).spec);
  const names = plan.steps.map((s) => s.name);
  let runError: RecordedError | undefined;
  if (outcome.kind === 'failed') {
    const failed = outcome.step ? before.steps.find((s) => s.name === outcome.step) : undefined;
    if (outcome.step && (!failed || failed.status === 'running' || failed.status === 'pending')) {
      await meta.finishStep(runId, outcome.step, { status: 'failed', error: outcome.error });
    }
    runError = failed?.status === 'failed' && failed.error ? failed.error : outcome.error;
    const done = new Set(['succeeded', 'cached', 'failed', 'skipped']);
    for (const name of names) {
      if (name === outcome.step) continue;
      const rec = before.steps.find((s) => s.name === name);
      if (rec && done.has(rec.status)) continue;
      await meta.finishStep(runId, name, { status: 'skipped' });
    }
  }
  // a success wrote nothing since `before`; a failure marked steps, so read them again
  const run = outcome.kind === 'succeeded' ? before : ((await meta.getRun(runId)) ?? before);
  const summary = buildRunSummary(
    { runId, pipeline: run.pipeline, specHash: run.specHash },
    queuedRunResult(run, names, runError),
  );
  await meta.updateRun(runId, {
    status: summary.status,
    summary: JSON.parse(JSON.stringify(summary)) as JsonObject,
    ...(summary.error ? { error: summary.error } : {}),
  });
  return summary;
}
