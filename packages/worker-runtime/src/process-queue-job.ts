import { WaitingChildrenError } from 'bullmq';
import {
  jobLockFence,
  trainStepWith,
  TRIAL_JOB_NAME,
  tuneParentStage,
  type StepJobResult,
  type TrialJobResult,
  type TuneParentJob,
} from '@myelin/pipeline';
import { handleStepJob, type StepJobDeps, type WorkerJob } from './handle-step-job.js';
import { handleTrialJob } from './handle-trial-job.js';
import { watchRunStop } from './run-stop-watch.js';

/** A job of Myelin's queues: a step job (named after its step) or a tune trial job. */
export type QueueJob = WorkerJob & TuneParentJob;

/**
 * The processor of every job on Myelin's queues (in-process or sandboxed), dispatching on the job's
 * name: a tune trial goes to `handleTrialJob`; a train job of a pipeline with a `tune:` section
 * first passes `tuneParentStage`, which enqueues its trials as child jobs and leaves it waiting for
 * them (`WaitingChildrenError`: its worker slot is free while they run), then, once they finished,
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
  const runId = (job.data as { runId?: unknown } | null)?.runId;
  const watch = watchRunStop({
    runId: typeof runId === 'string' ? runId : '',
    redis: deps.redis,
    prefix: deps.prefix,
    meta: deps.meta,
    signal,
  });
  let verdict;
  try {
    const fence =
      token && job.id
        ? jobLockFence({
            redis: deps.redis,
            queueQualifiedName: job.queueQualifiedName,
            jobId: job.id,
            token,
          })
        : undefined;
    verdict = await tuneParentStage(job, token, {
      store: deps.store,
      meta: deps.meta,
      ...(fence ? { fence } : {}),
      stopReason: () => watch.reason(),
      redis: deps.redis,
      prefix: deps.prefix,
    });
  } finally {
    watch.stop();
  }
  if (verdict.kind === 'waiting') throw new WaitingChildrenError();
  if (!verdict.trials) return handleStepJob(job, token, signal, deps);
  return handleStepJob(job, token, signal, {
    ...deps,
    steps: { ...deps.steps, train: trainStepWith(verdict.trials) },
  });
}
