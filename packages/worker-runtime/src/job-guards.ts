import { jobLockFence, type Fence } from '@myelin/pipeline';
import type { StepJobDeps } from './handle-step-job.js';
import { JobHandedBack } from './executor/job-handed-back.js';
import type { WorkerJob } from './executor/worker-job.js';
import { watchRunStop, type RunStopWatch } from './run-stop-watch.js';

/** What every job of a run is processed under: the stop check and the job's write fence. */
export interface JobGuards {
  /** Why the job should stop (its run's cancel flag or end, this job's abort signal), or null. */
  stopReason: RunStopWatch['reason'];
  /** Every write of the job passes it; absent for a job without a lock token. */
  fence?: Fence;
}

/**
 * Runs `work` under the guards of a job of a run (step, trial, tune parent): a stop watch on the
 * run named in the job's data, and the job's lock fence (`jobLockFence`: once this worker's token
 * is no longer in the lock, nothing more is written). The watch ends with `work`.
 */
export async function withJobGuards<T>(
  job: WorkerJob,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: StepJobDeps,
  work: (guards: JobGuards) => Promise<T>,
): Promise<T> {
  const runId = (job.data as { runId?: unknown } | null)?.runId;
  const watch = watchRunStop({
    runId: typeof runId === 'string' ? runId : '',
    redis: deps.redis,
    prefix: deps.prefix,
    meta: deps.meta,
    signal,
  });
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
    return await work({ stopReason: () => watch.reason(), ...(fence ? { fence } : {}) });
  } finally {
    watch.stop();
  }
}

/**
 * A job whose work asked to be handed back (the worker shuts down or lost the lock) goes back to
 * the queue without using an attempt (`JobHandedBack`: the worker executor puts it back), for
 * another worker to resume.
 */
export function handBackOnRequeue<R extends { status: string }>(result: R): R {
  if (result.status !== 'requeue') return result;
  throw new JobHandedBack();
}
