import type { StepName } from '../plan/compile-plan.js';
import type { StepContext, StepOutputs } from '../run/step-context.js';

/** One step's implementation; the same code runs in-process and on a queue worker. */
export interface StepDefinition {
  name: StepName;
  /**
   * What, besides the outputs of the steps it needs, determines this step's result (config
   * slices, file hashes). Null: never cache. The executor hashes this with the inputs.
   */
  cacheKey(ctx: StepContext): Promise<unknown | null>;
  run(ctx: StepContext): Promise<StepOutputs>;
}
