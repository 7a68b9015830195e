import { describe, expect, it } from 'vitest';
import { elapsed, formatDuration } from './format-duration.js';
import { formatCount, formatNumber, formatPercent } from './format-number.js';
import { formatDateTime, formatTime } from './format-time.js';

describe('formatDuration', () => {
  it('names milliseconds, seconds, minutes and hours', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(1_234)).toBe('1.23 s');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 m 05 s');
    expect(formatDuration(3_723_000)).toBe('1 h 02 m');
    expect(formatDuration(null)).toBe('–');
    expect(formatDuration(-5)).toBe('–');
  });

  it('measures until now while a thing still runs', () => {
    expect(elapsed(1000, null, 4000)).toBe(3000);
    expect(elapsed(1000, 2500, 4000)).toBe(1500);
    expect(elapsed(null, 2500)).toBeNull();
  });
});

describe('formatNumber', () => {
  it('keeps 4 significant digits and names odd values', () => {
    expect(formatNumber(0.912345)).toBe('0.9123');
    expect(formatNumber(1234)).toBe('1234');
    expect(formatNumber(12.3456)).toBe('12.35');
    expect(formatNumber(0.00001234)).toBe('1.234e-5');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
    expect(formatNumber(undefined)).toBe('–');
  });

  it('formats counts and percentages', () => {
    expect(formatCount(12345)).toBe('12,345');
    expect(formatPercent(0.0523)).toBe('5.2 %');
  });
});

describe('formatTime', () => {
  const now = Date.UTC(2025, 0, 10, 12, 0, 0);
  it('is relative while recent and absolute after a day', () => {
    expect(formatTime(now - 2_000, now)).toBe('just now');
    expect(formatTime(now - 42_000, now)).toBe('42 s ago');
    expect(formatTime(now - 90_000, now)).toBe('1 min ago');
    expect(formatTime(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatTime(now - 2 * 86_400_000, now)).toBe(formatDateTime(now - 2 * 86_400_000));
    expect(formatDateTime(now)).toMatch(/^2025-01-1\d \d\d:00:00$/);
  });
});
