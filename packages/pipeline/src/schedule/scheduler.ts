/** What a scheduler does when a pipeline's schedule fires: start its scheduled run. */
export type FireSchedule = (pipeline: string, firedAt: number) => Promise<void>;

/** One pipeline's schedule as the scheduler holds it. */
export interface ScheduleEntry {
  pipeline: string;
  /** 5-field cron expression. */
  cron: string;
  /** IANA time zone it is read in. */
  timezone: string;
}

/**
 * The scheduler port: fires each pipeline's cron schedule exactly once per fire time, however many
 * processes hold a scheduler of the same stack. Flavors: `InProcessScheduler` (the embedded stack:
 * timers in the one API process) and `BullmqScheduler` (the queue stack: a BullMQ job scheduler per
 * pipeline, whose jobs one worker of all the API processes takes).
 */
export interface Scheduler {
  /** `in-process` or `bullmq`. */
  readonly kind: string;
  /** Registers or changes a pipeline's schedule. */
  upsert(entry: ScheduleEntry): Promise<void>;
  /** Removes a pipeline's schedule (no-op when it has none). */
  remove(pipeline: string): Promise<void>;
  /** Makes the held schedules exactly these: upserts each, removes any other. */
  sync(entries: readonly ScheduleEntry[]): Promise<void>;
  /** Stops firing; a run already started goes on. */
  close(): Promise<void>;
}
