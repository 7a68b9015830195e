import {
  trainStepWith,
  TRIAL_JOB_NAME,
  tuneParentStage,
  type StepJobResult,
  type TrialJobResult,
  type TuneParentJob,
} from '@myelin/pipeline';
import { handleStepJob, type StepJobDeps } from './handle-step-job.js';
import type { WorkerJob } from './executor/worker-job.js';
import { JobWaitsForChildren } from './executor/job-waits-for-children.js';
import { handleTrialJob } from './handle-trial-job.js';
import { withJobGuards } from './job-guards.js';

/** A job of Myelin's queues: a step job (named after its step) or a tune trial job. */
export type QueueJob = WorkerJob & TuneParentJob;

/**
 * The processor of every job on Myelin's queues (in-process or sandboxed), dispatching on the job's
 * name: a tune trial goes to `handleTrialJob`; a train job of a pipeline with a `tune:` section
 * first passes `tuneParentStage`, which enqueues its trials as child jobs and leaves it waiting for
 * them (`JobWaitsForChildren`: its worker slot is free while they run), then, once they finished,
 * runs the step over the records they returned; every other job is a step (`handleStepJob`).
 */
export async function processQueueJob(
  job: QueueJob,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: StepJobDeps,
): Promise<StepJobResult | TrialJobResult> {
  if (job.name === TRIAL_JOB_NAME) return handleTrialJob(job, token, signal, deps);
  if (job.name !== 'train') return handleStepJob(job, token, signal, deps);
  const verdict = await withJobGuards(job, token, signal, deps, (guards) =>
    tuneParentStage(job, token, {
      store: deps.store,
      meta: deps.meta,
      ...guards,
      redis: deps.redis,
      prefix: deps.prefix,
    }),
  );
  if (verdict.kind === 'waiting') throw new JobWaitsForChildren();
  if (!verdict.trials) return handleStepJob(job, token, signal, deps);
  return handleStepJob(job, token, signal, {
    ...deps,
    steps: { ...deps.steps, train: trainStepWith(verdict.trials) },
  });
}
