import { checkSample } from './check-sample.js';
import { gcd, ksExactPValue } from './ks-exact.js';
import { kolmogorovSf } from './kolmogorov-sf.js';

/** Largest sample size for which 'auto' uses the exact p-value (scipy's MAX_AUTO_N). */
const MAX_EXACT_N = 10000;

export interface KsResult {
  /** sup |F_a − F_b| over the pooled values. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Which p-value was computed, as scipy's `method='auto'` would choose. */
  method: 'exact' | 'asymp';
}

/**
 * Two-sample two-sided Kolmogorov–Smirnov test, matching `scipy.stats.ks_2samp(a, b)`
 * (method 'auto', scipy 1.10): exact lattice-path p-value when max(n1, n2) ≤ 10000 (falling
 * back to asymptotic if the exact computation is not a probability), otherwise
 * `kstwo.sf(D, round(n1·n2/(n1+n2)))`. In the exact case the statistic is the rounded
 * h / lcm(n1, n2), like scipy. Ties are handled (ECDFs compared at every pooled value).
 * Samples must be non-empty and free of NaN.
 *
 * @example
 * ksTest([1, 2, 3, 4], [3, 4, 5, 6]); // { statistic: 0.5, pValue: 0.7714285714285716, method: 'exact' }
 */
export function ksTest(a: readonly number[], b: readonly number[]): KsResult {
  checkSample(a, 'ksTest');
  checkSample(b, 'ksTest');
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n1 = x.length;
  const n2 = y.length;
  let maxS = -Infinity;
  let minS = Infinity;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && (x[i] as number) <= (y[j] as number)) ? (x[i] as number) : (y[j] as number);
    while (i < n1 && (x[i] as number) <= v) i++;
    while (j < n2 && (y[j] as number) <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const negMin = Math.min(Math.max(-minS, 0), 1);
  let d = negMin > maxS ? negMin : maxS;

  if (Math.max(n1, n2) <= MAX_EXACT_N) {
    const lcm = (n1 / gcd(n1, n2)) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    const p = ksExactPValue(n1, n2, h);
    if (p >= 0 && p <= 1) return { statistic: d, pValue: p, method: 'exact' };
  }
  const big = Math.max(n1, n2);
  const small = Math.min(n1, n2);
  const en = roundHalfEven((big * small) / (big + small));
  return { statistic: d, pValue: Math.min(1, Math.max(0, kolmogorovSf(en, d))), method: 'asymp' };
}

/** numpy's round: halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
