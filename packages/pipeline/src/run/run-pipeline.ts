import type { LoadedSpec } from '@myelin/spec';
import { isMyelinError } from '@myelin/errors';
import type { JsonObject } from '@myelin/registry';
import { compilePlan } from '../plan/compile-plan.js';
import type { Stack } from '../stack/stack.js';
import type { RunEvent } from './step-context.js';
import type { StepRecord } from '../executor/executor.js';
import { codeVersion } from './code-version.js';

export interface RunOptions {
  trigger?: 'cli' | 'api' | 'schedule' | 'drift';
  noCache?: boolean;
  allowOutside?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** Called once the run record exists. */
  onRunCreated?: (runId: string) => void;
  shouldStop?: () => boolean;
}

export interface RunSummary {
  status: 'succeeded' | 'failed' | 'cancelled';
  runId: string;
  pipeline: string;
  specHash: string;
  /** 0 registered, 1 validation or a gate failed, 2 bad input. */
  exitCode: 0 | 1 | 2;
  metrics: { test: Record<string, number> };
  gates: Record<string, { passed: boolean; value: number; bound: string }>;
  comparison: unknown;
  model: { name: string; version: number; manifest: string; aliases: string[] } | null;
  /** The stored manifest when the model was not registered (a failed gate). */
  manifest: string | null;
  backend: string | null;
  steps: { name: string; status: StepRecord['status']; durationMs: number }[];
  error: { code: string; message: string } | null;
}

/** A run that has started: its id now, its summary when it ends. */
export interface SubmittedRun {
  runId: string;
  /** Resolves with the summary when the run ends; never rejects (failures are in the summary). */
  done: Promise<RunSummary>;
}

/**
 * Records a run and starts it on the stack's executor without waiting for it: what the queue API
 * calls. `runPipeline` is the same, awaited.
 */
export async function submitRun(
  loaded: LoadedSpec,
  stack: Stack,
  opts: RunOptions = {},
): Promise<SubmittedRun> {
  const { id: runId } = await stack.meta.createRun({
    pipeline: loaded.spec.name,
    trigger: opts.trigger ?? 'cli',
    specHash: loaded.hash,
    specText: loaded.text,
  });
  opts.onRunCreated?.(runId);
  const done = executeRun(runId, loaded, stack, opts).catch(async (e: unknown) => {
    // a failure of the machinery itself (not of a step): record it so the run never stays "running"
    const error = {
      code: isMyelinError(e) ? e.code : 'MYELIN_ERR_INTERNAL',
      message: e instanceof Error ? e.message : String(e),
    };
    await stack.meta.updateRun(runId, { status: 'failed', error }).catch(() => undefined);
    return failedSummary(runId, loaded, error);
  });
  return { runId, done };
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

function failedSummary(
  runId: string,
  loaded: LoadedSpec,
  error: { code: string; message: string },
): RunSummary {
  return {
    status: 'failed',
    runId,
    pipeline: loaded.spec.name,
    specHash: loaded.hash,
    exitCode: 2,
    metrics: { test: {} },
    gates: {},
    comparison: null,
    model: null,
    manifest: null,
    backend: null,
    steps: [],
    error,
  };
}

async function executeRun(
  runId: string,
  loaded: LoadedSpec,
  stack: Stack,
  opts: RunOptions,
): Promise<RunSummary> {
  const plan = compilePlan(loaded.spec);
  await stack.meta.updateRun(runId, { status: 'running' });
  const result = await stack.executor.execute({
    runId,
    plan,
    loaded,
    store: stack.store,
    meta: stack.meta,
    options: { allowOutside: opts.allowOutside ?? false, noCache: opts.noCache ?? false },
    codeVersion: codeVersion(),
    onEvent: opts.onEvent ?? (() => undefined),
    shouldStop: opts.shouldStop ?? (() => false),
  });
  const o = result.outputs;
  const err = result.error;
  const cause =
    isMyelinError(err) && err.cause && typeof err.cause === 'object'
      ? (err.cause as Record<string, unknown>)
      : {};
  const registered = result.steps.some(
    (s) => s.name === 'register' && (s.status === 'succeeded' || s.status === 'cached'),
  );
  const reg = registered ? o.register : undefined;
  const summary: RunSummary = {
    status:
      err === undefined
        ? 'succeeded'
        : isMyelinError(err) && err.code === 'MYELIN_ERR_RUN_CANCELLED'
          ? 'cancelled'
          : 'failed',
    runId,
    pipeline: loaded.spec.name,
    specHash: loaded.hash,
    exitCode: err === undefined ? 0 : isMyelinError(err) ? err.exitCode : 2,
    metrics: { test: (o.evaluate?.metrics as Record<string, number>) ?? {} },
    gates: (o.evaluate?.gates as RunSummary['gates']) ?? {},
    comparison: o.evaluate?.comparison ?? null,
    model: reg
      ? {
          name: reg.model as string,
          version: reg.version as number,
          manifest: reg.manifest as string,
          aliases: reg.aliases as string[],
        }
      : null,
    manifest: (reg?.manifest as string) ?? (typeof cause.manifest === 'string' ? cause.manifest : null),
    backend: (o.train?.backend as string) ?? null,
    steps: result.steps.map((s) => ({ name: s.name, status: s.status, durationMs: s.durationMs })),
    error:
      err === undefined
        ? null
        : {
            code: isMyelinError(err) ? err.code : 'MYELIN_ERR_INTERNAL',
            message: err instanceof Error ? err.message : String(err),
          },
  };
  await stack.meta.updateRun(runId, {
    status: summary.status,
    summary: JSON.parse(JSON.stringify(summary)) as JsonObject,
    ...(summary.error ? { error: summary.error } : {}),
  });
  return summary;
}
