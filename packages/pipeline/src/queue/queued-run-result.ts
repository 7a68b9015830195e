import { isErrorCode, MyelinError } from '@myelin/errors';
import type { RecordedError, RunWithSteps } from '@myelin/registry';
import type { ExecutionResult, StepRecord } from '../executor/executor.js';
import type { StepName } from '../plan/compile-plan.js';
import type { StepOutputs } from '../run/step-context.js';

/** A recorded error as the MyelinError it was (unknown codes become MYELIN_ERR_INTERNAL). */
export function errorFromRecord(rec: RecordedError, cause?: unknown): MyelinError {
  const code = isErrorCode(rec.code) ? rec.code : 'MYELIN_ERR_INTERNAL';
  return new MyelinError(code, rec.message, undefined, cause === undefined ? undefined : { cause });
}

/**
 * What an executor would have returned for a run, rebuilt from its records in the metadata store:
 * the step records in plan order with their outputs, and the run's error. The queued path builds
 * its summary from this, so it has the shape `runPipeline` writes.
 */
export function queuedRunResult(
  run: RunWithSteps,
  planSteps: readonly StepName[],
  error?: RecordedError,
): ExecutionResult {
  const steps: StepRecord[] = [];
  const outputs: Partial<Record<StepName, StepOutputs>> = {};
  let failedOutputs: StepOutputs | undefined;
  for (const name of planSteps) {
    const rec = run.steps.find((s) => s.name === name);
    if (!rec) continue;
    const status =
      rec.status === 'succeeded' || rec.status === 'cached' || rec.status === 'failed'
        ? rec.status
        : 'skipped';
    const durationMs = rec.startedAt !== null && rec.finishedAt !== null ? rec.finishedAt - rec.startedAt : 0;
    const out: StepOutputs | undefined = rec.outputs ?? undefined;
    steps.push({ name, status, durationMs, ...(out ? { outputs: out } : {}) });
    if (out && status !== 'failed') outputs[name] = out;
    if (status === 'failed') failedOutputs = out;
  }
  const err = error ?? run.error ?? undefined;
  return {
    steps,
    outputs,
    ...(err ? { error: errorFromRecord(err, failedOutputs) } : {}),
  };
}
