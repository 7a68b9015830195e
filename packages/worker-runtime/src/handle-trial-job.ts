import { runTrialJob, type TrialJobResult } from '@myelin/pipeline';
import type { StepJobDeps } from './handle-step-job.js';
import type { WorkerJob } from './executor/worker-job.js';
import { handBackOnRequeue, withJobGuards } from './job-guards.js';

/**
 * The processor of a tune trial job (a child of its run's train job): runs `runTrialJob` with the
 * run's stop check (its cancel flag, its end, this job's abort signal) and the job's lock fence on
 * every write. A worker that shuts down stops the trial at its next epoch with a checkpoint and
 * puts the job back (`JobHandedBack`: no attempt used); a worker that dies leaves the job to
 * BullMQ's stalled-job recovery, and the worker that takes it resumes from the trial's checkpoint.
 */
export async function handleTrialJob(
  job: WorkerJob,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: StepJobDeps,
): Promise<TrialJobResult> {
  return withJobGuards(job, token, signal, deps, async (guards) =>
    handBackOnRequeue(
      await runTrialJob(job, {
        store: deps.store,
        meta: deps.meta,
        ...guards,
        redis: deps.redis,
        prefix: deps.prefix,
      }),
    ),
  );
}
