import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import type { ColumnProfile } from '../types.js';
import {
  chiSquared,
  chiSquaredSf,
  driftBetweenProfiles,
  jensenShannon,
  jensenShannonSamples,
  psi,
  quantileEdges,
  rebinHistogram,
  wassersteinDistance,
  wassersteinNormalized,
} from './index.js';

// Samples from numpy.random.default_rng(20240601), rounded (same as ks-test.test.ts).
const A = [
  0.65, 0.47, -0.64, -1.18, -0.14, 1.2, 1.33, 0.91, 0.35, 1.6, 1.23, -0.22, -1.06, -0.36, -0.42, 0.69, -1.9, -0.19,
  1.67, -0.92, -0.76, -0.08, -1.42, -0.13, -0.02,
];
const B = [
  0.8, -0.19, 0.43, 1.45, 0.09, 1.35, 1.46, -0.63, 0.15, 1.46, 1.29, 0.98, 0.45, 0.91, 2.67, 0.58, 1.38, 0.38, 0.6,
  1.45, -0.13, 0.56, 0.19, -0.06, 0.98,
];
const C = [
  12.48, 10.44, 9.24, 7.1, 11.64, 10.42, 8.74, 11.72, 13.15, 6.74, 11.18, 11.69, 11.16, 13.2, 11.25, 8.19, 17.6, 10.29,
  12.96, 13.93, 11.76, 6.4, 6.59, 8.64, 10.07, 7.22, 8.13, 9.11, 9.05, 10.38,
];
const D = [
  11.22, 10.88, 9.15, 8.5, 5.27, 14.8, 11.59, 12.11, 5.85, 13.25, 10.74, 13.91, 8.94, 14.0, 15.32, 10.49, 10.09, 9.8,
  11.41, 19.22, 10.86, 12.95, 6.55, 4.02, 11.48, 10.7, 14.66, 4.0, 12.25, 5.74, 16.27, 13.28, 8.07, 13.19, 13.67, 11.35,
  15.63, 13.92, 10.76, 9.7, 13.21, 9.17, 3.13, 9.89, 5.78,
];
const E = [3, 1, 2, 4, 0, 4, 4, 5, 0, 5, 5, 2, 2, 5, 1, 3, 0, 0, 2, 2];
const F = [4, 5, 3, 1, 6, 5, 5, 1, 6, 5, 5, 5, 4, 3, 1, 6, 4, 1, 1, 2, 3, 2, 2, 1, 5, 3, 3, 5, 4, 4, 6, 1, 6];

describe('psi', () => {
  it('computes Σ (c − r) ln(c / r) on histograms', () => {
    const ref = { edges: [0, 1, 2], counts: [50, 50] };
    // 0.3·ln(1.6) + 0.3·ln(2.5)
    expect(psi(ref, { edges: [0, 1, 2], counts: [80, 20] })).toBeCloseTo(0.3 * Math.log(1.6) + 0.3 * Math.log(2.5), 12);
    expect(psi(ref, ref)).toBe(0);
  });

  // Reference: numpy, edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1))), counts by
  // np.histogram of the values clipped to [edges[0], edges[-1]], empty proportions → 1e-4.
  it('bins two samples on reference quantiles (numpy reference)', () => {
    expect(psi(C, D)).toBeCloseTo(1.1877842335121804, 10); // ref counts 3×10, cur [8,1,2,3,3,6,5,0,3,14]
    expect(psi(A, B, { bins: 5 })).toBeCloseTo(2.0631150819284647, 10); // cur [0,1,4,10,10]
  });

  it('bins a sample on a histogram’s edges, either side', () => {
    const h = { edges: [0, 2, 4, 6], counts: [10, 10, 10] };
    expect(psi(h, [1, 1, 3, 5, 5, 5])).toBeCloseTo(psi(h, { edges: [0, 2, 4, 6], counts: [2, 1, 3] }), 12);
    expect(psi([1, 3, 5], h)).toBeCloseTo(0, 12);
  });

  it('rebins a current histogram with other edges', () => {
    expect(rebinHistogram({ edges: [0, 2, 4], counts: [10, 20] }, [0, 1, 4])).toEqual([5, 25]);
    expect(psi({ edges: [0, 1, 2, 3, 4], counts: [5, 5, 5, 5] }, { edges: [0, 2, 4], counts: [10, 10] })).toBeCloseTo(0, 12);
  });

  it('computes quantile edges like numpy (linear)', () => {
    expect(quantileEdges([1, 2, 3, 4, 5], 2)).toEqual([1, 3, 5]);
    expect(quantileEdges([1, 1, 1, 2], 4)).toEqual([1, 1.25, 2]);
  });
});

describe('jensenShannon = scipy.spatial.distance.jensenshannon(p, q, base=2)', () => {
  it('matches scipy on probability and count vectors', () => {
    expect(jensenShannon([0.1, 0.4, 0.5], [0.8, 0.15, 0.05])).toBeCloseTo(0.6482287947757129, 12);
    expect(jensenShannon([10, 0, 30, 5], [3, 7, 20, 0])).toBeCloseTo(0.43516560099466395, 12);
    expect(jensenShannon([1, 2], [2, 4])).toBe(0);
  });
  it('takes category records (union of keys) and histograms', () => {
    // scipy: jensenshannon([3, 1, 0], [1, 0, 1], base=2)
    expect(jensenShannon({ a: 3, b: 1 }, { a: 1, c: 1 })).toBeCloseTo(0.6270214338169248, 12);
    expect(jensenShannon({ edges: [0, 1, 2], counts: [1, 0] }, { edges: [0, 1, 2], counts: [0, 1] })).toBeCloseTo(1, 12);
  });
  it('bins samples on reference deciles (numpy + scipy reference)', () => {
    expect(jensenShannonSamples(C, D)).toBeCloseTo(0.36797501466584637, 12);
  });
  it('rejects vectors of different lengths', () => {
    expect(() => jensenShannon([1, 2], [1, 2, 3])).toThrow(MyelinError);
  });
});

describe('wasserstein', () => {
  // scipy.stats.wasserstein_distance(a, b); np.std(a) (ddof 0)
  it.each([
    ['A, B', A, B, 0.7288, 0.9493824519128211],
    ['C, D', C, D, 1.1581111111111113, 2.483059067628745],
    ['E, F', E, F, 1.0757575757575757, 1.7748239349298849],
  ])('%s matches scipy', (_n, a, b, distance, std) => {
    expect(wassersteinDistance(a, b)).toBeCloseTo(distance, 12);
    expect(wassersteinNormalized(a, b)).toBeCloseTo(distance / std, 12);
  });
  it('returns the plain distance for a constant reference', () => {
    expect(wassersteinNormalized([2, 2, 2], [3, 3])).toBe(1);
  });
});

describe('chiSquared = scipy.stats.chi2_contingency([ref, cur], correction=False)', () => {
  it('matches scipy on a 2×4 table with a new category', () => {
    // keys sorted: Biscoe, Dream, Other, Torgersen → [[120, 95, 0, 40], [30, 41, 2, 4]]
    const r = chiSquared({ Biscoe: 120, Dream: 95, Torgersen: 40 }, { Biscoe: 30, Dream: 41, Torgersen: 4, Other: 2 });
    expect(r.statistic).toBeCloseTo(16.085893219708886, 10);
    expect(r.pValue).toBeCloseTo(0.001088917304295823, 12);
    expect(r.dof).toBe(3);
  });
  it('uses no Yates correction for 2 categories', () => {
    const r = chiSquared({ a: 10, b: 20 }, { a: 15, b: 12 });
    expect(r.statistic).toBeCloseTo(2.849999999999999, 12);
    expect(r.pValue).toBeCloseTo(0.09137393673644499, 12);
    expect(r.dof).toBe(1);
  });
  it('returns p = 1 for a single category', () => {
    expect(chiSquared({ a: 5 }, { a: 9 })).toEqual({ statistic: 0, pValue: 1, dof: 0 });
  });
  it.each([
    [3.841458820694124, 1, 0.04999999999999989],
    [0.5, 3, 0.9188914116546758],
    [25.0, 4, 5.0309817823062075e-5],
    [120.0, 10, 5.060046065842555e-21],
    [7.3, 7, 0.3983264579760526],
  ])('chiSquaredSf(%s, %s) = scipy.stats.chi2.sf', (x, k, p) => {
    expect(chiSquaredSf(x, k) / p).toBeCloseTo(1, 10);
  });
});

describe('driftBetweenProfiles', () => {
  const base = { count: 0, missing: 0, distinct: 0, distinctApproximate: false };
  it('compares numeric histograms plus a missing bucket', () => {
    const ref: ColumnProfile = { ...base, name: 'x', type: 'number', count: 100, histogram: { edges: [0, 1, 2], counts: [50, 50] } };
    const cur: ColumnProfile = { ...base, name: 'x', type: 'number', count: 100, missing: 5, histogram: { edges: [0, 1, 2], counts: [80, 20] } };
    const r = driftBetweenProfiles(ref, cur, 'psi');
    expect(r.buckets).toEqual(['[0, 1)', '[1, 2]', '(missing)']);
    expect(r.value).toBeCloseTo(psiOf([50, 50, 0], [80, 20, 5]), 12);
    const js = driftBetweenProfiles(ref, { ...cur, missing: 0 }, 'jensenShannon');
    expect(js.value).toBeCloseTo(jensenShannon([50, 50], [80, 20]), 12);
  });
  it('compares topValues with an (other) bucket and gives a chi-squared p-value', () => {
    const ref: ColumnProfile = {
      ...base, name: 'Island', type: 'category', count: 255,
      topValues: [{ value: 'Biscoe', count: 120 }, { value: 'Dream', count: 95 }],
    };
    const cur: ColumnProfile = {
      ...base, name: 'Island', type: 'category', count: 77,
      topValues: [{ value: 'Dream', count: 41 }, { value: 'Biscoe', count: 30 }],
    };
    const r = driftBetweenProfiles(ref, cur, 'chiSquared');
    expect(r.buckets).toEqual(['Biscoe', 'Dream', '(other)']);
    expect(r.ref).toEqual([120, 95, 40]);
    expect(r.cur).toEqual([30, 41, 6]);
    expect(r.pValue).toBeCloseTo(chiSquared({ B: 120, D: 95, O: 40 }, { B: 30, D: 41, O: 6 }).pValue, 14);
  });
  it('names the column when a profile lacks a histogram', () => {
    const p: ColumnProfile = { ...base, name: 'Body Mass (g)', type: 'number' };
    expect(() => driftBetweenProfiles(p, p, 'psi')).toThrow(/Body Mass/);
  });
});

function psiOf(r: number[], c: number[]): number {
  const rs = r.reduce((a, b) => a + b, 0);
  const cs = c.reduce((a, b) => a + b, 0);
  return r.reduce((s, v, i) => {
    const rp = v / rs || 1e-4;
    const cp = (c[i] as number) / cs || 1e-4;
    return s + (cp - rp) * Math.log(cp / rp);
  }, 0);
}
