import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { MyelinError } from '@myelin/errors';
import { QUEUE_PREFIX } from '../queue/queue-names.js';
import type { FireSchedule, ScheduleEntry, Scheduler } from '../schedule/scheduler.js';

/** The BullMQ queue whose job schedulers fire pipeline schedules. */
export const SCHEDULE_QUEUE = 'myelin-schedule';

/** The job scheduler id of a pipeline's schedule. */
export function scheduleJobSchedulerId(pipeline: string): string {
  return `pipeline:${pipeline}`;
}

/** Options of `BullmqScheduler`. */
export interface BullmqSchedulerOptions {
  /** Redis URL of the stack's queues. */
  redisUrl: string;
  /** The stack's queue key prefix (`executor.prefix`). @defaultValue 'myelin' */
  prefix?: string;
  /** Called with each fired schedule by exactly one scheduler of all that share the Redis. */
  fire: FireSchedule;
  /** Take fired schedules in this process (false: only register them). @defaultValue true */
  consume?: boolean;
  /** Receives a line per failed firing. @defaultValue none */
  log?: (line: string) => void;
}

function scheduleError(what: string, e: unknown): MyelinError {
  return new MyelinError(
    'MYELIN_ERR_SCHEDULE',
    `cannot ${what}: ${e instanceof Error ? e.message : String(e)}`,
    undefined,
    { cause: e },
  );
}

/**
 * The queue stack's scheduler: one BullMQ job scheduler per pipeline (`upsertJobScheduler`, id
 * `pipeline:<name>`, the cron pattern and time zone), so Redis holds each schedule once whatever
 * the number of API processes; each fire time becomes one job, taken by one of the workers every
 * scheduler runs on the `myelin-schedule` queue, so each scheduled run starts exactly once.
 *
 * @example
 * const s = new BullmqScheduler({ redisUrl: 'redis://localhost:6379', fire: async (p) => startRun(p) });
 * await s.upsert({ pipeline: 'penguins', cron: '0 3 * * *', timezone: 'UTC' });
 */
export class BullmqScheduler implements Scheduler {
  readonly kind = 'bullmq';
  readonly #queue: Queue;
  readonly #worker: Worker | undefined;

  constructor(opts: BullmqSchedulerOptions) {
    const connection: ConnectionOptions = { url: opts.redisUrl };
    this.#queue = new Queue(SCHEDULE_QUEUE, { connection, prefix: opts.prefix ?? QUEUE_PREFIX });
    this.#queue.on('error', () => undefined); // reconnects on its own; calls say what failed
    if (opts.consume !== false) {
      const log = opts.log ?? (() => undefined);
      this.#worker = new Worker(
        SCHEDULE_QUEUE,
        async (job) => {
          const data: unknown = job.data;
          const pipeline =
            typeof data === 'object' && data !== null && 'pipeline' in data ? data.pipeline : undefined;
          if (typeof pipeline !== 'string') return;
          try {
            await opts.fire(pipeline, Date.now());
          } catch (e) {
            log(`schedule of ${pipeline}: ${e instanceof Error ? e.message : String(e)}`);
            throw e;
          }
        },
        {
          connection: { url: opts.redisUrl, maxRetriesPerRequest: null },
          prefix: opts.prefix ?? QUEUE_PREFIX,
          concurrency: 1,
        },
      );
      this.#worker.on('error', () => undefined);
    }
  }

  /** The job schedulers in Redis, as schedule entries. */
  async list(): Promise<(ScheduleEntry & { next: number | null })[]> {
    try {
      const all = await this.#queue.getJobSchedulers(0, -1, true);
      return all
        .filter((s) => (s.id ?? s.key).startsWith('pipeline:') && s.pattern)
        .map((s) => ({
          pipeline: (s.id ?? s.key).slice('pipeline:'.length),
          cron: s.pattern as string,
          timezone: s.tz ?? 'UTC',
          next: s.next ?? null,
        }));
    } catch (e) {
      throw scheduleError('list the job schedulers', e);
    }
  }

  async upsert(entry: ScheduleEntry): Promise<void> {
    try {
      await this.#queue.upsertJobScheduler(
        scheduleJobSchedulerId(entry.pipeline),
        { pattern: entry.cron, tz: entry.timezone },
        {
          name: 'scheduled-run',
          data: { pipeline: entry.pipeline },
          opts: { removeOnComplete: 100, removeOnFail: 100 },
        },
      );
    } catch (e) {
      throw scheduleError(`register the schedule of ${entry.pipeline}`, e);
    }
  }

  async remove(pipeline: string): Promise<void> {
    try {
      await this.#queue.removeJobScheduler(scheduleJobSchedulerId(pipeline));
    } catch (e) {
      throw scheduleError(`remove the schedule of ${pipeline}`, e);
    }
  }

  async sync(entries: readonly ScheduleEntry[]): Promise<void> {
    const keep = new Set(entries.map((e) => e.pipeline));
    for (const held of await this.list()) if (!keep.has(held.pipeline)) await this.remove(held.pipeline);
    for (const e of entries) await this.upsert(e);
  }

  /** Stops taking fired schedules (a run already started goes on) and disconnects, Redis up or not. */
  async close(): Promise<void> {
    await this.#worker?.close(true);
    await this.#queue.close();
  }
}
