import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { MyelinError } from '@myelin/errors';
import type { Fence } from '../queue/fence.js';

/** Where a BullMQ job's lock lives: `<prefix>:<queue>:<jobId>:lock`, holding the token of its worker. */
export function jobLockKey(queueQualifiedName: string, jobId: string): string {
  return `${queueQualifiedName}:${jobId}:lock`;
}

/** Options of {@link jobLockFence}. */
export interface JobLockFenceOptions {
  /** A connection to the queue's Redis. */
  redis: Redis;
  /** The job's queue with its prefix, e.g. `myelin:myelin-cpu` (BullMQ's `job.queueQualifiedName`). */
  queueQualifiedName: string;
  jobId: string;
  /** The lock token BullMQ handed the processor. */
  token: string;
  /** Tries when Redis does not answer (a closed fence is the safe answer after them). @defaultValue 3 */
  tries?: number;
}

/**
 * The fence of a BullMQ step job: its lock key must still hold this processor's token. BullMQ sets
 * the key when a worker takes the job and renews it while the worker lives; a new holder (after the
 * lock expired) gets a new token, so a stale processor's check fails. When Redis cannot be asked,
 * the fence closes too: a write nobody can prove safe is not made.
 *
 * @example
 * const fence = jobLockFence({ redis, queueQualifiedName: job.queueQualifiedName, jobId: job.id, token });
 * await fence(); // then write
 */
export function jobLockFence(opts: JobLockFenceOptions): Fence {
  const key = jobLockKey(opts.queueQualifiedName, opts.jobId);
  const tries = opts.tries ?? 3;
  return async () => {
    let holder: string | null | undefined;
    let lastError: unknown;
    for (let i = 0; i < tries && holder === undefined; i++) {
      try {
        holder = await opts.redis.get(key);
      } catch (e) {
        lastError = e;
        if (i + 1 < tries) await sleep(200 * (i + 1));
      }
    }
    if (holder === opts.token) return;
    const why =
      holder === undefined
        ? `Redis did not answer (${lastError instanceof Error ? lastError.message : String(lastError)})`
        : holder === null
          ? 'its lock expired'
          : 'another worker holds it now';
    throw new MyelinError(
      'MYELIN_ERR_QUEUE_FENCED',
      `step job ${opts.jobId} is no longer held by this worker (${why}); it stops without writing`,
    );
  };
}
