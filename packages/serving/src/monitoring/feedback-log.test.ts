import { describe, expect, it } from 'vitest';
import { FeedbackLog } from './feedback-log.js';
import { ServingMetrics } from './serving-metrics.js';

describe('FeedbackLog', () => {
  it('forgets the oldest prediction first once full, and joins the rest', () => {
    const log = new FeedbackLog(3, new ServingMetrics());
    for (const id of ['a', 'b', 'c', 'd']) log.remember(id, 'm', 1, 'yes', false);
    expect(log.size).toBe(3);
    expect(log.feedback('m', 'a', 'yes')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', 'b', 'yes')).toMatchObject({ ok: true, correct: true, quality: { count: 1, accuracy: 1 } });
    // a labelled prediction leaves a hole that the ring reuses without evicting a live one
    log.remember('e', 'm', 1, 'no', false);
    log.remember('f', 'm', 1, 'no', false);
    expect(log.size).toBe(3);
    expect(log.feedback('m', 'c', 'yes')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', 'd', 'no')).toMatchObject({ ok: true, correct: false, quality: { count: 2, accuracy: 0.5 } });
    expect(log.feedback('m', 'd', 'no')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('other', 'e', 'no')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', 'f', { bad: 1 })).toEqual({ ok: false, reason: 'bad-label' });
  });

  it('keeps MAE for regression, and nothing at capacity 0', () => {
    const log = new FeedbackLog(2, new ServingMetrics());
    log.remember('r', 'm', 2, 10, true);
    expect(log.feedback('m', 'r', '12.5')).toMatchObject({ ok: true, absoluteError: 2.5, quality: { mae: 2.5 } });
    expect(log.qualities('m')).toEqual([{ model: 'm', version: 2, count: 1, mae: 2.5 }]);
    const none = new FeedbackLog(0, new ServingMetrics());
    none.remember('x', 'm', 1, 1, true);
    expect(none.size).toBe(0);
  });

  it('stays exact over many times its capacity (every id after the last `capacity` is forgotten)', () => {
    const capacity = 1000;
    const log = new FeedbackLog(capacity, new ServingMetrics());
    const total = 25_000;
    for (let i = 0; i < total; i++) log.remember(`p${i}`, 'm', 1, 'a', false);
    expect(log.size).toBe(capacity);
    expect(log.feedback('m', `p${total - capacity - 1}`, 'a')).toEqual({ ok: false, reason: 'unknown' });
    expect(log.feedback('m', `p${total - capacity}`, 'a')).toMatchObject({ ok: true });
    expect(log.feedback('m', `p${total - 1}`, 'a')).toMatchObject({ ok: true });
  });
});
