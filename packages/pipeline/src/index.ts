export {
  validateData,
  type DataValidationResult,
  type ValidateDataOptions,
  type ValidationStatus,
} from './steps/validate-data.js';
export { dataRulesFromSpec } from './steps/data-rules.js';
export { compilePlan, type Plan, type PlanStep, type StepName, type QueueName } from './plan/compile-plan.js';
export type { Executor, ExecutionRequest, ExecutionResult, StepRecord } from './executor/executor.js';
export { LocalExecutor } from './executor/local-executor.js';
export { runStep } from './run/run-step.js';
export { STEPS } from './steps/step-registry.js';
export type { StepDefinition } from './steps/step-definition.js';
export type { StepContext, StepOutputs, RunEvent, StepOptions } from './run/step-context.js';
export {
  runPipeline,
  submitRun,
  type RunOptions,
  type RunSummary,
  type SubmittedRun,
} from './run/run-pipeline.js';
export { codeVersion } from './run/code-version.js';
export type { Stack } from './stack/stack.js';
export { openEmbeddedStack, myelinHome } from './stack/embedded-stack.js';
export {
  evaluateGates,
  type GateResult,
  type GateVerdict,
  type ChampionComparison,
} from './gates/evaluate-gates.js';
export { loadModelBundle, type ModelBundle } from './run/model-bundle.js';
export { checkpointRef } from './steps/train-step.js';
export { parseModelRef, resolveModelRef, type ModelRef } from './models/model-ref.js';
export { verifyModelVersion, type VerifyResult } from './models/verify-model-version.js';
