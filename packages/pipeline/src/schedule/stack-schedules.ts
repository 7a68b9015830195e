import { queueConnection } from '../stack/stack-config.js';
import { RetrainStore, type ScheduleRecord } from '@myelin/registry';
import type { Stack } from '../stack/stack.js';
import { BullmqScheduler } from '../bullmq/bullmq-scheduler.js';
import { nextFireTime } from './next-fire-time.js';

/** A recorded schedule with its next fire time (epoch ms). */
export interface ListedSchedule extends ScheduleRecord {
  nextFireAt: number;
}

/** The schedules recorded on a stack, by pipeline, with their next fire times from `now`. */
export async function listStackSchedules(stack: Stack, now = Date.now()): Promise<ListedSchedule[]> {
  const all = await RetrainStore.forStore(stack.meta).listSchedules();
  return all.map((s) => ({ ...s, nextFireAt: nextFireTime(s.cron, now, s.timezone) }));
}

/**
 * Removes a pipeline's schedule from a stack without a running API: the record, and on the queue
 * stack its BullMQ job scheduler (an in-process scheduler of a running `myelin up` drops it at its
 * next look at the records, and never fires a schedule that is no longer recorded). False when the
 * pipeline had none.
 */
export async function removeStackSchedule(stack: Stack, pipeline: string): Promise<boolean> {
  const had = await RetrainStore.forStore(stack.meta).removeSchedule(pipeline);
  const queues = queueConnection(stack.config);
  if (queues) {
    const queue = new BullmqScheduler({
      redisUrl: queues.url,
      prefix: queues.prefix,
      fire: async () => undefined,
      consume: false,
    });
    try {
      await queue.remove(pipeline);
    } finally {
      await queue.close();
    }
  }
  return had;
}
