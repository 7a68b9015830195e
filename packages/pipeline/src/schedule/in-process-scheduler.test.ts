import { describe, expect, it } from 'vitest';
import { InProcessScheduler } from './in-process-scheduler.js';
import { nextFireTime } from './next-fire-time.js';
import type { SchedulerClock } from './scheduler-clock.js';

/** A clock whose time moves only when the test says; due timers run in time order. */
class ManualClock implements SchedulerClock {
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  constructor(public t: number) {}
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimer = (h: unknown) => void this.#timers.delete(h as number);
  /** Moves time to `to`, running every timer that falls due on the way. */
  advanceTo(to: number): void {
    for (;;) {
      const due = [...this.#timers].filter(([, x]) => x.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.t = due[1].at;
      due[1].fn();
    }
    this.t = to;
  }
}

const T0 = Date.UTC(2026, 0, 1, 0, 0, 30);

describe('nextFireTime', () => {
  it('reads the expression in UTC and refuses one that never fires', () => {
    expect(nextFireTime('0 3 * * *', Date.UTC(2026, 0, 1, 4))).toBe(Date.UTC(2026, 0, 2, 3));
    expect(nextFireTime('* * * * *', T0)).toBe(Date.UTC(2026, 0, 1, 0, 1));
    expect(() => nextFireTime('0 0 30 2 *', T0)).toThrow(/never fires/);
    expect(() => nextFireTime('* * * * * *', T0)).toThrow(/at most once a minute/);
  });
});

describe('InProcessScheduler', () => {
  it('fires each schedule at its times, once each, until it is changed or removed', async () => {
    const clock = new ManualClock(T0);
    const fired: [string, number][] = [];
    const s = new InProcessScheduler(async (p, at) => void fired.push([p, at]), clock);
    await s.upsert({ pipeline: 'a', cron: '* * * * *', timezone: 'UTC' });
    await s.upsert({ pipeline: 'b', cron: '0 * * * *', timezone: 'UTC' });
    clock.advanceTo(Date.UTC(2026, 0, 1, 0, 3, 10));
    expect(fired).toEqual([
      ['a', Date.UTC(2026, 0, 1, 0, 1)],
      ['a', Date.UTC(2026, 0, 1, 0, 2)],
      ['a', Date.UTC(2026, 0, 1, 0, 3)],
    ]);
    await s.upsert({ pipeline: 'a', cron: '*/30 * * * *', timezone: 'UTC' });
    await s.sync([{ pipeline: 'a', cron: '*/30 * * * *', timezone: 'UTC' }]); // b removed
    fired.length = 0;
    clock.advanceTo(Date.UTC(2026, 0, 1, 1, 10));
    expect(fired).toEqual([
      ['a', Date.UTC(2026, 0, 1, 0, 30)],
      ['a', Date.UTC(2026, 0, 1, 1, 0)],
    ]);
    await s.remove('a');
    clock.advanceTo(Date.UTC(2026, 0, 2));
    expect(fired).toHaveLength(2);
    await s.close();
  });

  it('keeps firing when a run cannot start, and cuts waits longer than a timer allows', async () => {
    const clock = new ManualClock(T0);
    const lines: string[] = [];
    let calls = 0;
    const s = new InProcessScheduler(
      async () => {
        calls++;
        throw new Error('no such pipeline');
      },
      clock,
      (l) => lines.push(l),
    );
    await s.upsert({ pipeline: 'yearly', cron: '0 0 1 1 *', timezone: 'UTC' });
    expect(s.nextFireTimes().get('yearly')).toBe(Date.UTC(2027, 0, 1));
    clock.advanceTo(Date.UTC(2028, 0, 1, 0, 0, 1));
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(2);
    expect(lines[0]).toBe('schedule of yearly: no such pipeline');
    await s.close();
  });
});
