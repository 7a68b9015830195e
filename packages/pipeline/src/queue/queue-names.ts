import type { QueueName } from '../plan/compile-plan.js';

/** The BullMQ key prefix of every Myelin queue. */
export const QUEUE_PREFIX = 'myelin';

/** The BullMQ queue of a plan queue: `myelin-cpu` or `myelin-gpu`. */
export function bullmqQueueName(queue: QueueName): `myelin-${QueueName}` {
  return `myelin-${queue}`;
}

/** The job id of a run's step: one job per (run, step), so a re-submitted flow never duplicates one. */
export function stepJobId(runId: string, step: string): string {
  return `${runId}-${step}`;
}
