import { nextFireTime } from './next-fire-time.js';
import type { FireSchedule, ScheduleEntry, Scheduler } from './scheduler.js';
import { systemSchedulerClock, type SchedulerClock } from './scheduler-clock.js';

/** Longest a timer waits before it looks at the clock again (setTimeout's limit is about 24.8 days). */
const MAX_WAIT_MS = 2 ** 31 - 1;

interface Armed {
  entry: ScheduleEntry;
  at: number;
  handle: unknown;
}

/**
 * The embedded stack's scheduler: one timer per pipeline in this process, armed for the next fire
 * time and re-armed after each firing (what `myelin up` runs). A fire time that passed while the
 * process was down is not made up. Errors of `fire` go to `log`; the schedule goes on.
 *
 * @example
 * const s = new InProcessScheduler(async (pipeline) => startRun(pipeline));
 * await s.upsert({ pipeline: 'penguins', cron: '0 3 * * *', timezone: 'UTC' });
 */
export class InProcessScheduler implements Scheduler {
  readonly kind = 'in-process';
  readonly #armed = new Map<string, Armed>();
  #closed = false;

  constructor(
    private readonly fire: FireSchedule,
    private readonly clock: SchedulerClock = systemSchedulerClock,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** The next fire time of each held schedule (epoch ms), by pipeline. */
  nextFireTimes(): Map<string, number> {
    return new Map([...this.#armed].map(([p, a]) => [p, a.at]));
  }

  async upsert(entry: ScheduleEntry): Promise<void> {
    const held = this.#armed.get(entry.pipeline);
    if (held && held.entry.cron === entry.cron && held.entry.timezone === entry.timezone) return;
    await this.remove(entry.pipeline);
    this.#arm(entry, nextFireTime(entry.cron, this.clock.now(), entry.timezone));
  }

  async remove(pipeline: string): Promise<void> {
    const held = this.#armed.get(pipeline);
    if (!held) return;
    this.clock.clearTimer(held.handle);
    this.#armed.delete(pipeline);
  }

  async sync(entries: readonly ScheduleEntry[]): Promise<void> {
    const keep = new Set(entries.map((e) => e.pipeline));
    for (const p of [...this.#armed.keys()]) if (!keep.has(p)) await this.remove(p);
    for (const e of entries) await this.upsert(e);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of [...this.#armed.keys()]) await this.remove(p);
  }

  #arm(entry: ScheduleEntry, at: number): void {
    if (this.#closed) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, at - this.clock.now()));
    const handle = this.clock.setTimer(() => this.#wake(entry, at), wait);
    this.#armed.set(entry.pipeline, { entry, at, handle });
  }

  #wake(entry: ScheduleEntry, at: number): void {
    if (this.#armed.get(entry.pipeline)?.at !== at) return; // removed or changed meanwhile
    const now = this.clock.now();
    if (now < at) return this.#arm(entry, at); // a long wait cut in pieces
    this.#arm(entry, nextFireTime(entry.cron, Math.max(now, at), entry.timezone));
    this.fire(entry.pipeline, at).catch((e: unknown) =>
      this.log(`schedule of ${entry.pipeline}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
}
