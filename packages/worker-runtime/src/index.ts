export { startWorker, type RunningWorker } from './start-worker.js';
export type { StartWorkerOptions } from './start-worker-options.js';
export { detectGpus } from './detect-gpus.js';
export { handleStepJob, type StepJobDeps } from './handle-step-job.js';
export type { WorkerJob } from './executor/worker-job.js';
export type {
  WorkerExecutor,
  QueueConsumer,
  ConsumerEvents,
  ConsumerOptions,
} from './executor/worker-executor.js';
export { WORKER_EXECUTOR_FLAVORS, openWorkerExecutor } from './executor/worker-executor-flavors.js';
export { JobHandedBack } from './executor/job-handed-back.js';
export { JobWaitsForChildren } from './executor/job-waits-for-children.js';
export { processQueueJob, type QueueJob } from './process-queue-job.js';
export { handleTrialJob } from './handle-trial-job.js';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';
export { startMetricsServer } from './metrics-server.js';
