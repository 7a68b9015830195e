import type { StepName } from '../plan/compile-plan.js';
import type { TypedStep } from './step-definition.js';
import { ingestStep } from './ingest-step.js';
import { validateStep } from './validate-step.js';
import { preprocessStep } from './preprocess-step.js';
import { trainStep } from './train-step.js';
import { evaluateStep } from './evaluate-step.js';
import { registerStep } from './register-step.js';

/** Every step implementation by name: what an executor (local or a queue worker) looks steps up in. */
export const STEPS: { [N in StepName]: TypedStep<N> } = {
  ingest: ingestStep,
  validate: validateStep,
  preprocess: preprocessStep,
  train: trainStep,
  evaluate: evaluateStep,
  register: registerStep,
};
