export { startWorker, type RunningWorker } from './start-worker.js';
export type { StartWorkerOptions } from './start-worker-options.js';
export { detectGpus } from './detect-gpus.js';
export { handleStepJob, type StepJobDeps, type WorkerJob } from './handle-step-job.js';
export { processQueueJob, type QueueJob } from './process-queue-job.js';
export { handleTrialJob } from './handle-trial-job.js';
export { createWorkerMetrics, type WorkerMetrics } from './worker-metrics.js';
export { startMetricsServer } from './metrics-server.js';
