import { ERROR_CODES, exitCodeOf, isMyelinError, type ExitCode } from '@myelin/errors';
import type { ExecutionResult, StepRecord } from '../executor/executor.js';

/** What `runPipeline` returns and every executor path records as the run's summary. */
export interface RunSummary {
  status: 'succeeded' | 'failed' | 'cancelled';
  runId: string;
  pipeline: string;
  specHash: string;
  /** 0 registered, 1 validation or a gate failed, 2 bad input, 3 an internal error. */
  exitCode: ExitCode;
  metrics: { test: Record<string, number> };
  gates: Record<string, { passed: boolean; value: number; bound: string }>;
  comparison: unknown;
  model: { name: string; version: number; manifest: string; aliases: string[] } | null;
  /** The stored manifest when the model was not registered (a failed gate). */
  manifest: string | null;
  /** The engine's device summary (`torch:cpu`, `wasm`, …). */
  backend: string | null;
  /** The training engine: name, version, device, threads. */
  engine: { name: string; version: string; device: string; threads: number } | null;
  steps: { name: string; status: StepRecord['status']; durationMs: number }[];
  /** The error that ended the run; `stack` only for an internal error (a bug, not bad input). */
  error: { code: string; message: string; stack?: string } | null;
}

/** Which run a summary is about. */
export interface RunIdentity {
  runId: string;
  pipeline: string;
  specHash: string;
}

/**
 * Builds a run's summary from what its executor returned. The one place the summary shape is
 * made: the in-process path (`runPipeline`) and the queue workers (on a run's last step) both call it.
 *
 * @example buildRunSummary({ runId, pipeline: 'penguins', specHash }, await executor.execute(req)).status
 */
export function buildRunSummary(run: RunIdentity, result: ExecutionResult): RunSummary {
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
  return {
    status:
      err === undefined
        ? 'succeeded'
        : isMyelinError(err) && err.code === 'MYELIN_ERR_RUN_CANCELLED'
          ? 'cancelled'
          : 'failed',
    runId: run.runId,
    pipeline: run.pipeline,
    specHash: run.specHash,
    exitCode: err === undefined ? 0 : isMyelinError(err) ? err.exitCode : ERROR_CODES.MYELIN_ERR_INTERNAL.exit,
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
    engine: (o.train?.engine as RunSummary['engine']) ?? null,
    steps: result.steps.map((s) => ({ name: s.name, status: s.status, durationMs: s.durationMs })),
    error:
      err === undefined
        ? null
        : {
            code: isMyelinError(err) ? err.code : 'MYELIN_ERR_INTERNAL',
            message: err instanceof Error ? err.message : String(err),
            // an internal error keeps its stack, for MYELIN_DEBUG=1 (a located MyelinError needs none)
            ...(!isMyelinError(err) && err instanceof Error && err.stack ? { stack: err.stack } : {}),
          },
  };
}

/** The summary of a run the machinery itself failed to run (no step result to show). */
export function failedSummary(run: RunIdentity, error: { code: string; message: string }): RunSummary {
  return {
    status: 'failed',
    ...run,
    exitCode: exitCodeOf(error.code),
    metrics: { test: {} },
    gates: {},
    comparison: null,
    model: null,
    manifest: null,
    backend: null,
    engine: null,
    steps: [],
    error,
  };
}
