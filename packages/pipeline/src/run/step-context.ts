import type { LoadedSpec, PipelineSpec } from '@myelin/spec';
import type { EngineInfo } from '@myelin/training';
import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import type { StepName } from '../plan/compile-plan.js';
import { parseRecorded, STEP_OUTPUT_SCHEMAS } from '../steps/step-output-schemas.js';
import type { StepOutputMap } from '../steps/step-outputs.js';

/** JSON outputs of a step: artifact keys and small values, never large payloads. */
export type StepOutputs = Record<string, unknown>;

/** Live events of a run, for progress bars, the run's records and (later) server-sent events. */
export type RunEvent =
  | {
      type: 'step';
      step: StepName;
      status: 'running' | 'succeeded' | 'failed' | 'cached' | 'skipped';
      durationMs?: number;
      error?: string;
    }
  | {
      type: 'epoch';
      step: StepName;
      epoch: number;
      epochs: number;
      metrics: Record<string, number>;
      durationMs: number;
      samplesPerSec: number;
      learningRate?: number;
    }
  /** A line of the step's log; `notice`: one a person running the pipeline should see (the CLI always shows it). */
  | { type: 'log'; step: StepName; message: string; notice?: boolean }
  /** The training engine the step runs on (name, version, device, threads, skipped candidates). */
  | { type: 'engine'; step: StepName; engine: EngineInfo };

export interface StepOptions {
  /** Allow data.source outside the pipeline's folder. */
  allowOutside: boolean;
  /** Skip the step cache. */
  noCache: boolean;
}

/** Everything a step implementation may use. Steps exchange artifact references through `inputs`. */
export interface StepContext {
  runId: string;
  step: StepName;
  loaded: LoadedSpec;
  spec: PipelineSpec;
  store: ArtifactStore;
  meta: MetadataStore;
  /** Outputs of the steps this one needs. */
  inputs: Partial<Record<StepName, StepOutputs>>;
  options: StepOptions;
  codeVersion: { version: string; commit?: string };
  emit(event: RunEvent): void;
  /**
   * Writes a line to the step's log. `notice`: what the person running the pipeline should be told
   * even without verbose output (validation findings, the inferred task, early stopping, a resume).
   */
  log(message: string, opts?: { notice?: boolean }): void;
  /** True once the run was asked to stop (cancel, shutdown); long steps check it at safe points. */
  shouldStop(): boolean;
  /**
   * Resolves while this process still holds the step (always, in-process); on a queue worker it
   * throws `MYELIN_ERR_QUEUE_FENCED` once the job's lock expired or passed to another worker.
   * `store` ref writes and `meta` writes already pass it; call it before any other lasting write.
   */
  fence(): Promise<void>;
}

/**
 * Reads a required input of a step, typed by the step's declared outputs (`StepOutputMap`) and
 * checked against them (`STEP_OUTPUT_SCHEMAS`): a missing or misshapen input fails loudly,
 * naming the step and the field (a wiring bug or a record of another shape, not user input).
 *
 * @example const task = input(ctx, 'preprocess', 'task'); // Task
 */
export function input<S extends StepName, K extends keyof StepOutputMap[S] & string>(
  ctx: Pick<StepContext, 'step' | 'inputs'>,
  step: S,
  key: K,
): StepOutputMap[S][K] {
  const out = ctx.inputs[step];
  if (!out || !(key in out)) throw new Error(`step ${ctx.step}: missing input ${step}.${key}`);
  return parseRecorded(STEP_OUTPUT_SCHEMAS[step], out, `step ${ctx.step}: input ${step}`)[key];
}
