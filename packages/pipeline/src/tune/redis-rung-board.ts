import type { Redis } from 'ioredis';
import { ashaRungEpochs, ashaVerdict, type RungBoard, type RungVerdict } from './asha-rungs.js';

const WEEK_S = 7 * 24 * 3600;

/** The Redis hash of one rung of a run's search: trial index → its value there. */
export function rungKey(prefix: string, runId: string, epoch: number): string {
  return `${prefix}:tune:${runId}:rung:${epoch}`;
}

/**
 * The ASHA rungs of a run whose trials run as queue jobs on several workers: each rung is a Redis
 * hash (under the stack's queue prefix) that every trial job of the run writes its value to and
 * reads back in one transaction, so a trial is judged against every value recorded at its rung by
 * any worker so far (asynchronous ASHA: promoted while in the best `1/factor` of the values seen,
 * never waiting for the rung to fill). A trial resumed on another worker writes its own field
 * again, so it counts once. Kept a week, as the run's jobs are.
 */
export class RedisRungBoard implements RungBoard {
  readonly rungs: number[];

  constructor(
    private readonly o: {
      redis: Redis;
      prefix: string;
      runId: string;
      minEpochs: number;
      factor: number;
      maxEpochs: number;
    },
  ) {
    this.rungs = ashaRungEpochs(o);
  }

  async report(trial: number, epoch: number, value: number): Promise<RungVerdict> {
    if (!this.rungs.includes(epoch)) return 'continue';
    const key = rungKey(this.o.prefix, this.o.runId, epoch);
    const stored = Number.isFinite(value) ? String(value) : 'inf';
    const replies = await this.o.redis
      .multi()
      .hset(key, String(trial), stored)
      .expire(key, WEEK_S)
      .hvals(key)
      .exec();
    const [err, vals] = replies?.[2] ?? [new Error('no reply'), null];
    if (err) throw err;
    const recorded = (vals as string[]).map((v) => (v === 'inf' ? Infinity : Number(v)));
    return ashaVerdict(recorded, value, this.o.factor);
  }
}
