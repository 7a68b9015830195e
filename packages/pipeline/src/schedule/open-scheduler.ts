import { queueConnection } from '../stack/stack-config.js';
import type { Stack } from '../stack/stack.js';
import { BullmqScheduler } from '../bullmq/bullmq-scheduler.js';
import { InProcessScheduler } from './in-process-scheduler.js';
import type { FireSchedule, Scheduler } from './scheduler.js';
import { systemSchedulerClock, type SchedulerClock } from './scheduler-clock.js';

/** Options of `openScheduler`. */
export interface OpenSchedulerOptions {
  /** Starts a pipeline's scheduled run. */
  fire: FireSchedule;
  /** Receives a line per failed firing. @defaultValue none */
  log?: (line: string) => void;
  /** The in-process flavor's clock. @defaultValue the real clock */
  clock?: SchedulerClock;
}

/**
 * The scheduler flavor of a stack, chosen in this one place: BullMQ job schedulers when the stack
 * has Redis (the queue stack), else timers in this process (the embedded stack, `myelin up`).
 */
export function openScheduler(stack: Stack, opts: OpenSchedulerOptions): Scheduler {
  const queues = queueConnection(stack.config);
  if (queues)
    return new BullmqScheduler({
      redisUrl: queues.url,
      prefix: queues.prefix,
      fire: opts.fire,
      ...(opts.log ? { log: opts.log } : {}),
    });
  return new InProcessScheduler(opts.fire, opts.clock ?? systemSchedulerClock, opts.log);
}
