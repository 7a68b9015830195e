import type { QueueName } from '../plan/compile-plan.js';

/**
 * The default BullMQ key prefix of Myelin's queues and keys (`executor.prefix` in the stack file,
 * `MYELIN_QUEUE_PREFIX`): stacks sharing one Redis with different prefixes never see each other's jobs.
 */
export const QUEUE_PREFIX = 'myelin';

/** The BullMQ queue of a plan queue: `myelin-cpu` or `myelin-gpu`. */
export function bullmqQueueName(queue: QueueName): `myelin-${QueueName}` {
  return `myelin-${queue}`;
}

/** The job id of a run's step: one job per (run, step), so a re-submitted flow never duplicates one. */
export function stepJobId(runId: string, step: string): string {
  return `${runId}-${step}`;
}

/**
 * The run and step of a step job id (the inverse of {@link stepJobId}), or null for other ids.
 *
 * @example parseStepJobId('r-01jabc-train') // { runId: 'r-01jabc', step: 'train' }
 */
export function parseStepJobId(jobId: string): { runId: string; step: string } | null {
  const cut = jobId.lastIndexOf('-');
  if (cut <= 0 || !jobId.startsWith('r-')) return null;
  return { runId: jobId.slice(0, cut), step: jobId.slice(cut + 1) };
}
