import { isMyelinError } from '@myelin/errors';
import type { JsonObject } from '@myelin/registry';
import type { ExecutionRequest, StepRecord } from '../executor/executor.js';
import { readStepCache, stepCacheKey, writeStepCache } from '../executor/step-cache.js';
import type { PlanStep, StepName } from '../plan/compile-plan.js';
import { STEPS } from '../steps/step-registry.js';
import type { RunEvent, StepContext, StepOutputs } from './step-context.js';
import { OPEN_FENCE } from '../queue/fence.js';

/**
 * Runs one step of a run: records its start, serves it from the step cache when its inputs and
 * config are unchanged, else runs it, records per-epoch metrics, logs and the outcome in the
 * metadata store. Shared by every executor so the embedded and queued paths write the same records.
 *
 * The start record is written while the step runs (one round trip less on a step's path): it is
 * awaited before the outcome is written, so the start is always recorded first, and when it fails
 * the outcome is not written and runStep rejects with its error (a `failed` step event after the
 * `running` one), as when it was awaited up front.
 */
export async function runStep(
  req: ExecutionRequest,
  step: PlanStep,
  inputs: Partial<Record<StepName, StepOutputs>>,
): Promise<StepRecord> {
  const def = req.steps?.[step.name] ?? STEPS[step.name];
  const started = Date.now();
  const { meta, runId } = req;
  const emit = (event: RunEvent): void => {
    req.onEvent(event);
    void meta.appendEvent(runId, event.type, event).catch(() => undefined);
    if (event.type === 'epoch') {
      void meta
        .recordEpoch({
          runId,
          step: step.name,
          epoch: event.epoch,
          metrics: event.metrics,
          durationMs: event.durationMs,
        })
        .catch(() => undefined);
    }
  };
  const ctx: StepContext = {
    runId,
    step: step.name,
    loaded: req.loaded,
    spec: req.loaded.spec,
    store: req.store,
    meta,
    inputs,
    options: req.options,
    codeVersion: req.codeVersion,
    emit,
    log: (message, opts) => {
      emit({ type: 'log', step: step.name, message, ...(opts?.notice ? { notice: true } : {}) });
      void meta
        .appendStepLog(runId, step.name, `${new Date().toISOString()} ${message}\n`)
        .catch(() => undefined);
    },
    shouldStop: req.shouldStop,
    fence: req.fence ?? OPEN_FENCE,
  };
  const startWrite = meta.startStep(runId, step.name);
  // awaited below before any outcome is written; this only keeps a rejection from counting as
  // unhandled while the step still runs
  startWrite.catch(() => undefined);
  emit({ type: 'step', step: step.name, status: 'running' });
  try {
    let cacheKey: string | null = null;
    const parts = await def.cacheKey(ctx);
    if (parts !== null) {
      const needed = Object.fromEntries(step.needs.map((n) => [n, inputs[n] ?? null]));
      cacheKey = stepCacheKey(
        step.name,
        req.codeVersion.version + (req.codeVersion.commit ?? ''),
        parts,
        needed,
      );
      if (!req.options.noCache) {
        const cached = await readStepCache(req.store, step.name, cacheKey);
        if (cached) {
          await startWrite;
          const durationMs = Date.now() - started;
          await meta.finishStep(runId, step.name, {
            status: 'cached',
            outputs: cached as JsonObject,
            cacheKey,
          });
          emit({ type: 'step', step: step.name, status: 'cached', durationMs });
          return { name: step.name, status: 'cached', durationMs, outputs: cached };
        }
      }
    }
    const outputs = await def.run(ctx);
    if (cacheKey) await writeStepCache(req.store, step.name, cacheKey, outputs);
    await startWrite;
    const durationMs = Date.now() - started;
    await meta.finishStep(runId, step.name, {
      status: 'succeeded',
      outputs: outputs as JsonObject,
      ...(cacheKey ? { cacheKey } : {}),
    });
    emit({ type: 'step', step: step.name, status: 'succeeded', durationMs });
    return { name: step.name, status: 'succeeded', durationMs, outputs };
  } catch (error) {
    const durationMs = Date.now() - started;
    try {
      await startWrite;
    } catch (startError) {
      const why = startError instanceof Error ? startError.message : String(startError);
      emit({ type: 'step', step: step.name, status: 'failed', durationMs, error: why });
      throw startError;
    }
    const message = error instanceof Error ? error.message : String(error);
    const partial =
      isMyelinError(error) && error.cause && typeof error.cause === 'object'
        ? (error.cause as StepOutputs)
        : undefined;
    await meta
      .finishStep(runId, step.name, {
        status: 'failed',
        error: { code: isMyelinError(error) ? error.code : 'MYELIN_ERR_INTERNAL', message },
        ...(partial ? { outputs: partial as JsonObject } : {}),
      })
      .catch(() => undefined);
    emit({ type: 'step', step: step.name, status: 'failed', durationMs, error: message });
    return { name: step.name, status: 'failed', durationMs, error, ...(partial ? { outputs: partial } : {}) };
  }
}
