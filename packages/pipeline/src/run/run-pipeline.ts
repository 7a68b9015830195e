import type { LoadedSpec } from '@myelin/spec';
import { isMyelinError } from '@myelin/errors';
import type { JsonObject } from '@myelin/registry';
import { compilePlan } from '../plan/compile-plan.js';
import type { Stack } from '../stack/stack.js';
import type { RunEvent, StepOptions } from './step-context.js';
import { codeVersion } from './code-version.js';
import { buildRunSummary, failedSummary, type RunSummary } from './run-summary.js';

export type { RunSummary } from './run-summary.js';

export interface RunOptions {
  trigger?: 'cli' | 'api' | 'schedule' | 'drift';
  /** The run this one retrains (a drift retraining: the run that trained the drifting version). */
  parentRunId?: string;
  noCache?: boolean;
  allowOutside?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** Called once the run record exists. */
  onRunCreated?: (runId: string) => void;
  shouldStop?: () => boolean;
}

/** A run that has started: its id now, its summary when it ends. */
export interface SubmittedRun {
  runId: string;
  /**
   * Resolves once the executor has taken the run (in-process: at once; the queue: its jobs are in
   * Redis). Rejects with the executor's error — e.g. `MYELIN_ERR_STACK_UNREACHABLE` when Redis
   * refused the jobs — and the run is then recorded as failed with it. The queue API answers only
   * after this, so it never says 202 for a run nothing will run.
   */
  accepted: Promise<void>;
  /** Resolves with the summary when the run ends; never rejects (failures are in the summary). */
  done: Promise<RunSummary>;
}

/**
 * Records a run and starts it on the stack's executor without waiting for it: what the queue API
 * calls. An executor that cannot take work now (`ping` fails: Redis away) refuses before anything
 * is recorded. `runPipeline` is the same, awaited.
 */
export async function submitRun(
  loaded: LoadedSpec,
  stack: Stack,
  opts: RunOptions = {},
): Promise<SubmittedRun> {
  await stack.executor.ping?.();
  const options: StepOptions = { allowOutside: opts.allowOutside ?? false, noCache: opts.noCache ?? false };
  const { id: runId } = await stack.meta.createRun({
    pipeline: loaded.spec.name,
    trigger: opts.trigger ?? 'cli',
    specHash: loaded.hash,
    specText: loaded.text,
    specFile: loaded.file,
    options: { ...options },
    ...(opts.parentRunId ? { parentRunId: opts.parentRunId } : {}),
  });
  opts.onRunCreated?.(runId);
  let taken = false;
  let accept!: () => void;
  let refuse!: (e: unknown) => void;
  const accepted = new Promise<void>((resolve, reject) => {
    accept = resolve;
    refuse = reject;
  });
  accepted.catch(() => undefined); // a caller that only awaits `done` sees the failure there
  const onAccepted = () => {
    taken = true;
    accept();
  };
  const done = executeRun(runId, loaded, stack, opts, options, onAccepted).then(
    (summary) => {
      accept();
      return summary;
    },
    async (e: unknown) => {
      if (!taken) refuse(e);
      // a failure of the machinery itself (not of a step): record it so the run never stays "running"
      const error = {
        code: isMyelinError(e) ? e.code : 'MYELIN_ERR_INTERNAL',
        message: e instanceof Error ? e.message : String(e),
      };
      await stack.meta.updateRun(runId, { status: 'failed', error }).catch(() => undefined);
      const summary = failedSummary({ runId, pipeline: loaded.spec.name, specHash: loaded.hash }, error);
      await mirrorRun(stack, runId, summary);
      return summary;
    },
  );
  return { runId, accepted, done };
}

/** Runs a pipeline on a stack: records the run, executes its plan, and returns the summary. */
export async function runPipeline(
  loaded: LoadedSpec,
  stack: Stack,
  opts: RunOptions = {},
): Promise<RunSummary> {
  const { done } = await submitRun(loaded, stack, opts);
  return done;
}

async function executeRun(
  runId: string,
  loaded: LoadedSpec,
  stack: Stack,
  opts: RunOptions,
  options: StepOptions,
  onAccepted: () => void,
): Promise<RunSummary> {
  const plan = compilePlan(loaded.spec);
  // the executor marks the run running when a step starts: a queued run stays `queued` until then
  const result = await stack.executor.execute({
    runId,
    plan,
    loaded,
    store: stack.store,
    meta: stack.meta,
    options,
    codeVersion: codeVersion(),
    onEvent: opts.onEvent ?? (() => undefined),
    shouldStop: opts.shouldStop ?? (() => false),
    onAccepted,
  });
  const summary = buildRunSummary({ runId, pipeline: loaded.spec.name, specHash: loaded.hash }, result);
  // a queued run's final record was written by the worker that ended it, from the same records
  if (!result.recorded)
    await stack.meta.updateRun(runId, {
      status: summary.status,
      summary: JSON.parse(JSON.stringify(summary)) as JsonObject,
      ...(summary.error ? { error: summary.error } : {}),
    });
  await mirrorRun(stack, runId, summary);
  return summary;
}

/** Hands a finished run (and the version it registered) to the MLflow mirror; never fails the run. */
async function mirrorRun(stack: Stack, runId: string, summary: RunSummary): Promise<void> {
  if (!stack.mlflow) return;
  if (summary.model)
    await stack.mlflow.onVersionRegistered(summary.model.name, summary.model.version).catch(() => undefined);
  await stack.mlflow.onRunFinished(runId).catch(() => undefined);
}
