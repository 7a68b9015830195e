import { MyelinError } from '@myelin/errors';
import type { Histogram } from '../types.js';
import { alignedCounts, isHistogram } from './binning.js';

/** A distribution: weights by position, a histogram, or weights by category name. */
export type Distribution = readonly number[] | Histogram | Readonly<Record<string, number>>;

/**
 * Jensen–Shannon distance in base 2 (0 = same, 1 = disjoint), as
 * `scipy.spatial.distance.jensenshannon(p, q, base=2)`: both inputs are normalised to sum 1.
 * Inputs: two weight vectors of equal length; two histograms (the current one rebinned onto the
 * reference edges if they differ); or two category → weight records (missing keys weigh 0).
 * For raw samples use `jensenShannonSamples`.
 *
 * @example
 * jensenShannon([0.1, 0.4, 0.5], [0.8, 0.15, 0.05]); // ≈ 0.6482
 * jensenShannon({ a: 3, b: 1 }, { a: 1, c: 1 });
 */
export function jensenShannon(p: Distribution, q: Distribution): number {
  if (Array.isArray(p) && Array.isArray(q)) {
    if (p.length !== q.length) {
      throw new MyelinError('MYELIN_ERR_INTERNAL', `jensenShannon: lengths differ (${p.length} and ${q.length})`);
    }
    return jensenShannonFromWeights(p, q);
  }
  if (isHistogram(p) && isHistogram(q)) {
    const c = alignedCounts(p, q, 0);
    return jensenShannonFromWeights(c.ref, c.cur);
  }
  if (!Array.isArray(p) && !Array.isArray(q) && !isHistogram(p) && !isHistogram(q)) {
    const pr = p as Readonly<Record<string, number>>;
    const qr = q as Readonly<Record<string, number>>;
    const keys = [...new Set([...Object.keys(pr), ...Object.keys(qr)])];
    return jensenShannonFromWeights(
      keys.map((k) => pr[k] ?? 0),
      keys.map((k) => qr[k] ?? 0),
    );
  }
  throw new MyelinError('MYELIN_ERR_INTERNAL', 'jensenShannon: both inputs must be of the same kind');
}

/**
 * Jensen–Shannon distance (base 2) between two samples, binned on the reference's quantiles
 * (`bins`, default 10, as `psi` does).
 */
export function jensenShannonSamples(ref: readonly number[], cur: readonly number[], opts: { bins?: number } = {}): number {
  const c = alignedCounts(ref, cur, opts.bins ?? 10);
  return jensenShannonFromWeights(c.ref, c.cur);
}

/** JS distance (base 2) of two aligned non-negative weight vectors. */
export function jensenShannonFromWeights(p: readonly number[], q: readonly number[]): number {
  const ps = p.reduce((s, v) => s + v, 0);
  const qs = q.reduce((s, v) => s + v, 0);
  if (!(ps > 0) || !(qs > 0) || p.some((v) => v < 0) || q.some((v) => v < 0)) {
    throw new MyelinError('MYELIN_ERR_INTERNAL', 'jensenShannon: weights must be non-negative with a positive sum');
  }
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = (p[i] as number) / ps;
    const b = (q[i] as number) / qs;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js / Math.LN2 / 2));
}
