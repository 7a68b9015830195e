import { UnrecoverableError, WaitingChildrenError, WaitingError } from 'bullmq';
import { JobError, type StepJobResult, type TrialJobResult } from '@myelin/pipeline';
import type { StepJobDeps } from '../handle-step-job.js';
import { JobHandedBack } from '../executor/job-handed-back.js';
import { JobWaitsForChildren } from '../executor/job-waits-for-children.js';
import { processQueueJob, type QueueJob } from '../process-queue-job.js';

/** A BullMQ job (in this process or in a sandbox child) as this adapter processes it. */
export type BullmqJob = QueueJob & { moveToWait(token?: string): Promise<unknown> };

/**
 * Processes a BullMQ job with `processQueueJob` and says what its outcome means to BullMQ: a job
 * handed back (`JobHandedBack`) goes back to the wait list with no attempt used (`WaitingError`),
 * a job waiting for its children (`JobWaitsForChildren`, it moved itself there) frees its slot
 * (`WaitingChildrenError`), a failure a retry cannot help (`JobError` with `retryable: false`) fails
 * the job for good (`UnrecoverableError`, which BullMQ recognises by its name, also across the
 * sandbox's process boundary) with its Myelin code kept.
 */
export async function runBullmqJob(
  job: BullmqJob,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: StepJobDeps,
): Promise<StepJobResult | TrialJobResult> {
  try {
    return await processQueueJob(job, token, signal, deps);
  } catch (e) {
    if (e instanceof JobHandedBack) {
      await job.moveToWait(token).catch(() => undefined);
      throw new WaitingError();
    }
    if (e instanceof JobWaitsForChildren) throw new WaitingChildrenError();
    if (e instanceof JobError && !e.retryable)
      throw Object.assign(new UnrecoverableError(e.message), { myelinCode: e.myelinCode });
    throw e;
  }
}
