import { describe, expect, it } from 'vitest';
import { ColumnProfiler } from './column-profiler.js';

describe('ColumnProfiler', () => {
  it('gives exact statistics for a small numeric column', () => {
    const p = new ColumnProfiler('x');
    for (let i = 1; i <= 100; i++) p.add(i);
    p.add(NaN);
    const prof = p.finish('integer', 102);
    expect(prof).toMatchObject({
      count: 101,
      missing: 1,
      distinct: 101,
      distinctApproximate: false,
      min: 1,
      max: 100,
      mean: 50.5,
      nonFinite: 1,
    });
    expect(prof.std).toBeCloseTo(29.0115, 3);
    expect(prof.quantiles?.p50).toBeCloseTo(50.5, 6);
    expect(prof.quantiles?.p99).toBeCloseTo(99.01, 6);
    expect(prof.histogram?.counts).toHaveLength(20);
    expect(prof.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('switches to estimates past 10,000 distinct values, staying close', () => {
    const p = new ColumnProfiler('x');
    const n = 200_000;
    for (let i = 0; i < n; i++) p.add((i * 7919) % n); // a permutation of 0..n-1
    const prof = p.finish('number', n);
    expect(prof.distinctApproximate).toBe(true);
    expect(Math.abs(prof.distinct - n) / n).toBeLessThan(0.03);
    expect(Math.abs((prof.quantiles?.p50 ?? 0) - n / 2) / n).toBeLessThan(0.01);
    expect(Math.abs((prof.quantiles?.p99 ?? 0) - 0.99 * n) / n).toBeLessThan(0.01);
    const counts = prof.histogram?.counts ?? [];
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    for (const c of counts) expect(Math.abs(c - n / 20) / (n / 20)).toBeLessThan(0.1);
  });

  it('keeps the top values of a category column, most frequent first', () => {
    const p = new ColumnProfiler('c');
    for (const v of ['a', 'b', 'b', 'c', 'c', 'c']) p.add(v);
    expect(p.finish('category', 6).topValues).toEqual([
      { value: 'c', count: 3 },
      { value: 'b', count: 2 },
      { value: 'a', count: 1 },
    ]);
  });

  it('finds heavy hitters among many distinct strings with bounded memory', () => {
    const p = new ColumnProfiler('s');
    for (let i = 0; i < 60_000; i++) p.add(i % 3 === 0 ? 'common' : `rare-${i}`);
    const prof = p.finish('string', 60_000);
    expect(prof.topValues?.[0]).toEqual({ value: 'common', count: 20_000 });
    expect(p.values.size).toBeLessThanOrEqual(10_000);
  });
});
