import type { Redis } from 'ioredis';
import { QUEUE_PREFIX } from './queue-names.js';

/** The Redis key a worker's stop check reads: set by `BullmqExecutor.cancel`. */
export function cancelFlagKey(runId: string): string {
  return `${QUEUE_PREFIX}:cancel:${runId}`;
}

/** Marks a run cancelled for every worker (kept a week). */
export async function setCancelFlag(redis: Redis, runId: string): Promise<void> {
  await redis.set(cancelFlagKey(runId), String(Date.now()), 'EX', 7 * 24 * 3600);
}

/** True when the run was asked to stop. */
export async function isCancelFlagSet(redis: Redis, runId: string): Promise<boolean> {
  return (await redis.exists(cancelFlagKey(runId))) === 1;
}
