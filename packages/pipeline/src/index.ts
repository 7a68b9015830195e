export {
  validateData,
  type DataValidationResult,
  type ValidateDataOptions,
  type ValidationStatus,
} from './steps/validate-data.js';
export { validationVerdict, type ValidationVerdict } from './steps/validation-verdict.js';
export { dataRulesFromSpec, checkDataPaths } from './steps/data-rules.js';
export { compilePlan, type Plan, type PlanStep, type StepName, type QueueName } from './plan/compile-plan.js';
export type { Executor, ExecutionRequest, ExecutionResult, StepRecord } from './executor/executor.js';
export { LocalExecutor } from './executor/local-executor.js';
export { runStep } from './run/run-step.js';
export { STEPS } from './steps/step-registry.js';
export type { StepDefinition, TypedStep } from './steps/step-definition.js';
export type * from './steps/step-outputs.js';
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
export { openStack } from './stack/open-stack.js';
export type { OpenStackOptions } from './stack/open-stack-options.js';
export {
  loadStackConfig,
  parseS3Uri,
  isEmbeddedConfig,
  STACK_FILE_NAME,
  type StackConfig,
  type StackConfigSource,
  queueConnection,
} from './stack/stack-config.js';
export type { Flavor, FlavorTable } from './stack/flavors/flavor.js';
export { defineFlavor } from './stack/flavors/flavor.js';
export { findFlavor, openFlavor } from './stack/flavors/open-flavor.js';
export { STACK_FLAVORS } from './stack/flavors/stack-flavors.js';
export {
  EXECUTOR_FLAVORS,
  bullmqExecutorConfigSchema,
  type ExecutorConfig,
  type LocalExecutorConfig,
  type BullmqExecutorConfig,
} from './stack/flavors/executor-flavors.js';
export {
  ARTIFACT_STORE_FLAVORS,
  type ArtifactsConfig,
  type FsArtifactsConfig,
  type S3ArtifactsConfig,
} from './stack/flavors/artifact-store-flavors.js';
export {
  METADATA_STORE_FLAVORS,
  type DatabaseConfig,
  type SqliteDatabaseConfig,
  type PostgresDatabaseConfig,
} from './stack/flavors/metadata-store-flavors.js';
export { MLFLOW_FLAVORS, type MlflowConfig } from './stack/flavors/mlflow-flavors.js';
export { parseStackFile, readStackFile } from './stack/read-stack-file.js';
export { BullmqExecutor } from './bullmq/bullmq-executor.js';
export type { BullmqExecutorOptions } from './bullmq/bullmq-executor-options.js';
export { pingRedis, maskRedisUrl, openRedis } from './bullmq/redis-connection.js';
export { buildRunSummary, failedSummary, type RunIdentity } from './run/run-summary.js';
export { parseStoredRunSummary, type StoredRunSummary } from './run/stored-run-summary.js';
export { buildRunFlow } from './bullmq/build-run-flow.js';
export { bullmqQueueName, stepJobId, parseStepJobId, QUEUE_PREFIX } from './queue/queue-names.js';
export { RunReconciler, type ReconcileAction } from './bullmq/run-reconciler.js';
export type { RunReconcilerOptions } from './bullmq/run-reconciler-options.js';
export { ReconcilerLeader, reconcilerLeaderKey } from './bullmq/reconciler-leader.js';
export { OPEN_FENCE, type Fence } from './queue/fence.js';
export { jobLockFence, jobLockKey, type JobLockFenceOptions } from './bullmq/job-lock-fence.js';
export { fenceArtifactStore } from './queue/fence-artifact-store.js';
export { fenceMetadataStore } from './queue/fence-metadata-store.js';
export { parseStepJobPayload, stepJobPayloadSchema, type StepJobPayload } from './queue/step-job-payload.js';
export { stepRetry, DEFAULT_STEP_RETRY } from './queue/step-retry.js';
export { cancelFlagKey, setCancelFlag, isCancelFlagSet } from './queue/run-cancel-flag.js';
export { isRetryableCode } from './queue/retryable-error.js';
export { JobError, toJobError } from './queue/job-error.js';
export {
  processStepJob,
  type StepJob,
  type StepJobResult,
  type StopReason,
  type ProcessStepJobOptions,
} from './queue/process-step-job.js';
export { finishQueuedRun, isFinalRunStatus, type QueuedRunOutcome } from './queue/finish-queued-run.js';
export { queuedRunResult, errorFromRecord } from './queue/queued-run-result.js';
export { packFloat32, unpackFloat32, type NamedArray as FloatPackArray } from './util/float-pack.js';
export { nextFireTime, checkSchedule, SCHEDULE_TIMEZONE } from './schedule/next-fire-time.js';
export type { Scheduler, ScheduleEntry, FireSchedule } from './schedule/scheduler.js';
export { systemSchedulerClock, type SchedulerClock } from './schedule/scheduler-clock.js';
export { InProcessScheduler } from './schedule/in-process-scheduler.js';
export {
  BullmqScheduler,
  SCHEDULE_QUEUE,
  scheduleJobSchedulerId,
  type BullmqSchedulerOptions,
} from './bullmq/bullmq-scheduler.js';
export { openScheduler, type OpenSchedulerOptions } from './schedule/open-scheduler.js';
export { decideRetrain, type RetrainFacts, type RetrainVerdict } from './retrain/decide-retrain.js';
export { RetrainController, DRIFT_EVENT } from './retrain/retrain-controller.js';
export type {
  RetrainControllerOptions,
  RetrainDeployment,
  DeployRetrained,
} from './retrain/retrain-controller-options.js';
export { RETRAIN_EVENTS } from './retrain/retrain-events.js';
export { parseS3DataSource, type S3DataSource } from './steps/s3-data-source.js';
export { listStackSchedules, removeStackSchedule, type ListedSchedule } from './schedule/stack-schedules.js';
export { runTune, type TrialSummary } from './tune/run-tune.js';
export { trialCheckpointRef, trialRecordRef } from './tune/run-trial.js';
export { planTrials } from './tune/plan-trials.js';
export type { TrialRunner, TuneTrials } from './tune/trial-runner.js';
export { inProcessTrials } from './tune/in-process-trials.js';
export { collectedTrials } from './tune/collected-trials.js';
export { trainStepWith } from './steps/train-step.js';
export {
  tuneParentStage,
  type TuneParentJob,
  type TuneParentOptions,
  type TuneParentVerdict,
} from './bullmq/tune-parent-stage.js';
export { runTrialJob, type RunTrialJobOptions, type TrialJobResult } from './tune/run-trial-job.js';
export {
  TRIAL_JOB_NAME,
  trialJobId,
  parseTrialJobPayload,
  type TrialJobPayload,
} from './tune/trial-job-payload.js';
export { RedisRungBoard, rungKey } from './tune/redis-rung-board.js';
export type { TrialRecord, TrialStatus } from './tune/trial-record.js';
export type { TrialParams } from './tune/trial-params.js';
