import { describe, expect, it } from 'vitest';
import { firstPass, numericFeatureStats } from './numeric-feature-stats.js';

const stats = (values: number[]) => {
  const v = Float64Array.from(values);
  return numericFeatureStats(v, firstPass(v));
};

describe('numericFeatureStats', () => {
  it('gives count, mean, population std, min, max and median', () => {
    expect(stats([4, 1, 3, 2])).toEqual({
      count: 4,
      mean: 2.5,
      std: Math.sqrt(1.25),
      min: 1,
      max: 4,
      median: 2.5,
    });
    expect(stats([])).toEqual({ count: 0, mean: 0, std: 0, min: 0, max: 0, median: 0 });
  });

  it('keeps the mean exact where large values of both signs cancel (a running mean lost 20% here)', () => {
    // the two values differ by ~1e85: their mean is exactly half their (exact) sum, as is the median
    const s = stats([9.999495988405688e99, -9.999495988405698e99]);
    expect(s.mean).toBe((9.999495988405688e99 + -9.999495988405698e99) / 2);
    expect(s.mean).toBe(s.median);
  });
});
