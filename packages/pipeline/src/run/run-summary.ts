import { ERROR_CODES, exitCodeOf, isMyelinError, type ExitCode } from '@myelin/errors';
import * as z from 'zod';
import type { ExecutionResult, StepRecord } from '../executor/executor.js';
import type { ChampionComparison } from '../gates/evaluate-gates.js';
import {
  evaluateOutputsSchema,
  parseRecorded,
  registerOutputsSchema,
  trainedOutputsSchema,
} from '../steps/step-output-schemas.js';

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
  /** The comparison with the champion (`evaluate.compareTo`); null without one. */
  comparison: ChampionComparison | null;
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

/**
 * The step outputs a summary reads, each field optional: a step that did not run, or one swapped in
 * by a test or benchmark, leaves it out; a field there with another shape than its step declares
 * is an error, not a silent default.
 */
const summaryReads = {
  evaluate: evaluateOutputsSchema.pick({ metrics: true, gates: true, comparison: true }).partial(),
  train: trainedOutputsSchema.pick({ backend: true, engine: true }).partial(),
  register: registerOutputsSchema.partial(),
};

function readOutputs<S extends z.ZodType>(schema: S, outputs: unknown, step: string): z.output<S> {
  return parseRecorded(schema, outputs ?? {}, `step ${step} outputs`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

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
  const cause: unknown = isMyelinError(err) ? err.cause : undefined;
  const registered = result.steps.some(
    (s) => s.name === 'register' && (s.status === 'succeeded' || s.status === 'cached'),
  );
  const evaluate = readOutputs(summaryReads.evaluate, o.evaluate, 'evaluate');
  const train = readOutputs(summaryReads.train, o.train, 'train');
  const reg = registered ? readOutputs(summaryReads.register, o.register, 'register') : {};
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
    exitCode:
      err === undefined ? 0 : isMyelinError(err) ? err.exitCode : ERROR_CODES.MYELIN_ERR_INTERNAL.exit,
    metrics: { test: evaluate.metrics ?? {} },
    gates: evaluate.gates ?? {},
    comparison: evaluate.comparison ?? null,
    model:
      reg.model !== undefined &&
      reg.version !== undefined &&
      reg.manifest !== undefined &&
      reg.aliases !== undefined
        ? { name: reg.model, version: reg.version, manifest: reg.manifest, aliases: reg.aliases }
        : null,
    // a failed gate's error names the manifest it stored (its cause: the evaluate outputs and it)
    manifest: reg.manifest ?? (isRecord(cause) && typeof cause.manifest === 'string' ? cause.manifest : null),
    backend: train.backend ?? null,
    engine: train.engine ?? null,
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
