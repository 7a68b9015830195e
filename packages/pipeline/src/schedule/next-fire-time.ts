import { CronExpressionParser } from 'cron-parser';
import { MyelinError } from '@myelin/errors';
import { cronProblem } from '@myelin/spec';

/** The time zone every schedule is read in: `0 3 * * *` fires at 03:00 UTC. */
export const SCHEDULE_TIMEZONE = 'UTC';

/**
 * Checks a schedule (the spec's rules: 5 fields, fires at all, at most once a minute) and throws
 * `MYELIN_ERR_SPEC_INVALID` with the reason when it is not one.
 */
export function checkSchedule(cron: string, field = 'monitor.retrain.schedule'): void {
  const problem = cronProblem(cron);
  if (problem) throw new MyelinError('MYELIN_ERR_SPEC_INVALID', problem, { path: field });
}

/**
 * The first time strictly after `after` (epoch ms) at which a 5-field cron expression fires, read
 * in `timezone`.
 *
 * @example nextFireTime('0 3 * * *', Date.UTC(2026, 0, 1, 4)) // Date.UTC(2026, 0, 2, 3)
 */
export function nextFireTime(cron: string, after: number, timezone = SCHEDULE_TIMEZONE): number {
  checkSchedule(cron);
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(after) })
    .next()
    .getTime();
}
