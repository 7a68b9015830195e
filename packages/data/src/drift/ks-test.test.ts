import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { ksTest } from './ks-test.js';
import { kolmogorovSf } from './kolmogorov-sf.js';
import { smirnovSf } from './smirnov-sf.js';

// Reference values: scipy 1.10.1 (Debian python3-scipy), computed once with
//   scipy.stats.ks_2samp(a, b)               (method='auto', alternative='two-sided')
//   scipy.stats.kstwo.sf(x, n), scipy.special.smirnov(n, x)
// Samples A–H were drawn with numpy.random.default_rng(20240601) and rounded; the large
// samples are integer formulas, identical in Python and here.
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
const G = [
  0.26, 0.37, 0.11, 0.29, -0.29, 0.17, 0.4, -0.18, 0.3, 0.25, 0.55, -0.48, 0.26, 0.4, 0.27, 0.4, -0.07, 0.85, 0.61,
  0.41, 0.67, 0.19, 0.61, -0.02, 0.78, 0.6, 0.03, 0.04, 0.49, 0.31, 0.64, 0.3, 0.36, 0.29, 0.32, 0.07, -0.05, 0.47, 0.39,
  -0.17,
];
const H = [
  0.744, 0.107, 0.707, 0.42, 0.204, 0.512, 0.6, 0.268, 1.058, 0.333, 0.157, 0.785, 0.648, 1.07, 0.872, 0.901, 0.369,
  0.062, 0.861, 0.887, 1.074, 0.313, 0.266, 0.638, 1.0, 0.343, 0.482, 0.541, 0.642, 0.411, 1.067, 0.062, 1.073, 1.013,
  0.493, 0.358, 0.37, 0.856, 0.128, 0.878, 0.751, 0.494, 0.714, 0.052, 0.829, 0.68, 1.068, 0.145, 0.587, 0.667, 0.07,
  0.914, 1.047, 0.107, 1.022, 0.275, 0.702, 0.824, 0.856, 0.541,
];
const range = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
// Python: [((i*7919) % 10007)/10007 for i in range(10001)] etc.
const big1 = range(10001, (i) => ((i * 7919) % 10007) / 10007);
const big2 = range(12000, (i) => ((i * 7919) % 12007) / 12007);
const big3 = range(12000, (i) => (((i * 104729) % 12011) / 12011) * 0.98 + 0.015);
const big4 = range(12000, (i) => (((i * 104729) % 12011) / 12011) * 0.995 + 0.003);

const TOL = 1e-6;

describe('ksTest (exact regime, max(n1, n2) ≤ 10000)', () => {
  it.each([
    ['A vs B (25, 25)', A, B, 0.44, 0.014838084605848645],
    ['C vs D (30, 45)', C, D, 0.2222222222222222, 0.306200396560441],
    ['E vs F (20, 33, ties)', E, F, 0.24696969696969698, 0.35912203449614255],
    ['A vs A', A, A, 0, 1],
  ])('%s matches scipy', (_name, a, b, statistic, pValue) => {
    const r = ksTest(a, b);
    expect(r.method).toBe('exact');
    expect(r.statistic).toBeCloseTo(statistic, 12);
    expect(Math.abs(r.pValue - pValue)).toBeLessThan(TOL);
  });

  it('is symmetric in its arguments', () => {
    expect(ksTest(D, C)).toEqual(ksTest(C, D));
  });
});

describe('ksTest (asymptotic regime, max(n1, n2) > 10000)', () => {
  it.each([
    ['big1 vs G (en 40, 2·smirnov)', big1, G, 0.34004099590041, 0.00012464264615065756],
    ['big1 vs H (en 60, Durbin matrix)', big1, H, 0.16666666666666663, 0.06326476805943526],
    ['big2 vs big3 (en 6000, Pelz–Good)', big2, big3, 0.015083333333333334, 0.12908323486874662],
    ['big2 vs big4 (en 6000, Durbin matrix)', big2, big4, 0.0030833333333333338, 0.9999999938676595],
  ])('%s matches scipy', (_name, a, b, statistic, pValue) => {
    const r = ksTest(a, b);
    expect(r.method).toBe('asymp');
    expect(r.statistic).toBeCloseTo(statistic, 12);
    expect(Math.abs(r.pValue - pValue)).toBeLessThan(TOL);
  });
});

describe('kolmogorovSf = scipy.stats.kstwo.sf(x, n)', () => {
  it.each([
    [40, 0.1, 0.7818109707182903],
    [40, 0.25, 0.01089552086854928],
    [40, 0.4, 2.7416081587210553e-6],
    [40, 0.6, 2.668455783749458e-14],
    [140, 0.12, 0.03252638258561632],
    [200, 0.004, 1.0],
    [50, 0.99, 2.0000000000000889e-100],
    [1000, 0.03, 0.3226902143914636],
    [1000, 0.05, 0.013012074781090332],
    [6000, 0.003, 0.9999999980761528],
    [6000, 0.01, 0.5824116190707833],
    [6000, 0.025, 0.001087051130253026],
  ])('n=%s x=%s', (n, x, expected) => {
    const got = kolmogorovSf(n, x);
    expect(Math.abs(got - expected)).toBeLessThan(1e-9);
    if (expected > 0 && expected < 1e-3) expect(got / expected).toBeCloseTo(1, 8);
  });

  it('smirnovSf = scipy.special.smirnov(n, x)', () => {
    expect(smirnovSf(10, 0.3)).toBeCloseTo(0.1354635556, 10);
    expect(smirnovSf(100, 0.1)).toBeCloseTo(0.1265906584562817, 12);
    expect(smirnovSf(5000, 0.02)).toBeCloseTo(0.01806981293722266, 12);
  });
});

describe('ksTest input checks', () => {
  it('rejects empty samples and NaN', () => {
    expect(() => ksTest([], [1])).toThrow(MyelinError);
    expect(() => ksTest([1, Number.NaN], [1])).toThrow(/NaN/);
  });
});
