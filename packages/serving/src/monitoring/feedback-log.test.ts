import { describe, expect, it } from 'vitest';
import { FeedbackLog } from './feedback-log.js';
import { ServingMetrics } from './serving-metrics.js';

describe('FeedbackLog', () => {
  it('forgets the oldest prediction first once full, and joins the rest', () => {
    const log = new FeedbackLog(3, new ServingMetrics());
    const [a, b, c, d] = ['yes', 'yes', 'yes', 'no'].map((p) => log.remember('m', 1, p, false));
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(log.size).toBe(3);
    expect(log.feedback('m', a!, 'yes')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', b!, 'yes')).toMatchObject({
      ok: true,
      correct: true,
      quality: { count: 1, accuracy: 1 },
    });
    // a labelled prediction leaves its slot empty: the ring reuses it without losing a live one
    const e = log.remember('m', 1, 'no', false);
    expect(log.size).toBe(3);
    expect(log.feedback('m', c!, 'yes')).toMatchObject({ ok: true });
    expect(log.feedback('m', d!, 'yes')).toMatchObject({ ok: true, correct: false, quality: { count: 3 } });
    expect(log.feedback('m', d!, 'no')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('other', e, 'no')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', e, { bad: 1 })).toEqual({ ok: false, reason: 'bad-label' });
  });

  it('refuses ids it did not hand out (another process, garbage)', () => {
    const log = new FeedbackLog(10, new ServingMetrics());
    const id = log.remember('m', 1, 'a', false);
    const other = new FeedbackLog(10, new ServingMetrics()).remember('m', 1, 'a', false);
    for (const bad of [other, `${id}x`, id.replace(/-.*/, '-'), 'nope', '', id.replace(/-.*/, '-0')])
      expect(log.feedback('m', bad, 'a'), bad).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', id, 'a')).toMatchObject({ ok: true });
  });

  it('keeps MAE for regression, and nothing at capacity 0', () => {
    const log = new FeedbackLog(2, new ServingMetrics());
    const r = log.remember('m', 2, 10, true);
    expect(log.feedback('m', r, '12.5')).toMatchObject({
      ok: true,
      absoluteError: 2.5,
      quality: { mae: 2.5 },
    });
    expect(log.qualities('m')).toEqual([{ model: 'm', version: 2, count: 1, mae: 2.5 }]);
    const none = new FeedbackLog(0, new ServingMetrics());
    const x = none.remember('m', 1, 1, true);
    expect(none.size).toBe(0);
    expect(none.feedback('m', x, 1)).toEqual({ ok: false, reason: 'unknown' });
  });

  it('stays exact over many times its capacity (only the last `capacity` ids are remembered)', () => {
    const capacity = 1000;
    const log = new FeedbackLog(capacity, new ServingMetrics());
    const total = 25_000;
    const ids: string[] = [];
    for (let i = 0; i < total; i++) ids.push(log.remember('m', 1, 'a', false));
    expect(log.size).toBe(capacity);
    expect(log.feedback('m', ids[total - capacity - 1]!, 'a')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', ids[total - capacity]!, 'a')).toMatchObject({ ok: true });
    expect(log.feedback('m', ids[total - 1]!, 'a')).toMatchObject({ ok: true });
  });
});
