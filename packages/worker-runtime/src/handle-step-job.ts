import type { Redis } from 'ioredis';
import type { ArtifactStore } from '@myelin/artifacts';
import type { MetadataStore } from '@myelin/registry';
import { processStepJob, type StepJobResult, type ProcessStepJobOptions } from '@myelin/pipeline';
import type { WorkerJob } from './executor/worker-job.js';
import { handBackOnRequeue, withJobGuards } from './job-guards.js';

/** What a step job needs from the worker. */
export interface StepJobDeps {
  store: ArtifactStore;
  meta: MetadataStore;
  redis: Redis;
  /** The stack's queue prefix (where the run's cancel flag is). */
  prefix: string;
  /** e.g. `gpu:0`. */
  device?: string;
  steps?: ProcessStepJobOptions['steps'];
}

/**
 * The processor of a step job (in-process or sandboxed): runs `processStepJob` with a stop check
 * that sees the run's cancel flag and the job's abort signal. When the worker shuts down (or lost
 * the job's lock) the step stops at its next epoch boundary with a checkpoint, and the job goes
 * back to the queue (`JobHandedBack`: no attempt used) for another worker to resume. Every write of
 * the step passes the job's lock fence (`jobLockFence`): once this worker's token is no longer in
 * the lock (it expired, another worker took the job), nothing more is written.
 */
export async function handleStepJob(
  job: WorkerJob,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: StepJobDeps,
): Promise<StepJobResult> {
  return withJobGuards(job, token, signal, deps, async (guards) =>
    handBackOnRequeue(
      await processStepJob(job, {
        store: deps.store,
        meta: deps.meta,
        ...guards,
        ...(deps.device ? { device: deps.device } : {}),
        ...(deps.steps ? { steps: deps.steps } : {}),
      }),
    ),
  );
}
