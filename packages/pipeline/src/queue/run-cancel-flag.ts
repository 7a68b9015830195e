import type { Redis } from 'ioredis';

/** The Redis key a worker's stop check reads: set by `BullmqExecutor.cancel`. */
export function cancelFlagKey(prefix: string, runId: string): string {
  return `${prefix}:cancel:${runId}`;
}

/** Marks a run cancelled for every worker (kept a week). */
export async function setCancelFlag(redis: Redis, prefix: string, runId: string): Promise<void> {
  await redis.set(cancelFlagKey(prefix, runId), String(Date.now()), 'EX', 7 * 24 * 3600);
}

/** True when the run was asked to stop. */
export async function isCancelFlagSet(redis: Redis, prefix: string, runId: string): Promise<boolean> {
  return (await redis.exists(cancelFlagKey(prefix, runId))) === 1;
}
