import type { StepName } from '../plan/compile-plan.js';
import type { StepContext, StepOutputs } from '../run/step-context.js';
import type { StepOutputMap } from './step-outputs.js';

/**
 * One step's implementation; the same code runs in-process and on a queue worker. An executor
 * takes any (tests and benchmarks swap in no-op steps); the pipeline's own are `TypedStep`s.
 */
export interface StepDefinition {
  name: StepName;
  /**
   * What, besides the outputs of the steps it needs, determines this step's result (config
   * slices, file hashes). Null: never cache. The executor hashes this with the inputs.
   */
  cacheKey(ctx: StepContext): Promise<unknown | null>;
  run(ctx: StepContext): Promise<StepOutputs>;
}

/** A pipeline step whose outputs have the shape `StepOutputMap` declares for its name. */
export interface TypedStep<N extends StepName> extends StepDefinition {
  name: N;
  run(ctx: StepContext): Promise<StepOutputMap[N]>;
}
