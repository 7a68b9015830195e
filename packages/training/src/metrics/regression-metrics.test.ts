import { describe, expect, it } from 'vitest';
import { regressionMetrics } from './index.js';

describe('regressionMetrics', () => {
  it('matches the scikit-learn documentation example', () => {
    const r = regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(r.mse).toBeCloseTo(0.375, 12);
    expect(r.rmse).toBeCloseTo(0.6123724356957945, 12);
    expect(r.mae).toBeCloseTo(0.5, 12);
    expect(r.r2).toBeCloseTo(0.9486081370449679, 12);
  });

  it('R² of a constant truth is 1 for a perfect fit and 0 otherwise', () => {
    expect(regressionMetrics([1, 1, 1], [1, 1, 1]).r2).toBe(1);
    expect(regressionMetrics([1, 1, 1], [1, 2, 1]).r2).toBe(0);
  });

  it('R² is negative when worse than predicting the mean', () => {
    // truth [1, 2, 3] (mean 2, SS_tot 2); predictions [3, 2, 1] → SS_res 8 → 1 − 4 = −3
    expect(regressionMetrics([1, 2, 3], [3, 2, 1]).r2).toBe(-3);
  });

  it('refuses mismatched lengths', () => {
    expect(() => regressionMetrics([1, 2], [1])).toThrow(/predictions/);
  });
});
