import { Job, type Queue } from 'bullmq';
import { trialJobId } from '../tune/trial-job-payload.js';

/**
 * True when `job` is a train job waiting for its tune trials (`waiting-children` with trial jobs
 * added): a cancel must let its trials stop and the job fail the step, as for an active step.
 */
export async function tuneWaitsOnTrials(job: Job, queue: Queue, runId: string): Promise<boolean> {
  if (job.name !== 'train' || (await job.getState()) !== 'waiting-children') return false;
  return (await Job.fromId(queue, trialJobId(runId, 0))) !== undefined;
}
