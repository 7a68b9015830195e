import { MyelinError } from '@myelin/errors';
import type { ColumnProfile } from '../types.js';
import { rebinHistogram } from './binning.js';
import { chiSquaredFromCounts } from './chi-squared.js';
import { jensenShannonFromWeights } from './jensen-shannon.js';
import { psiFromCounts } from './psi.js';

/** Drift metrics that work from profiles (binned counts). */
export type ProfileDriftMetric = 'psi' | 'jensenShannon' | 'chiSquared';

export interface ProfileDriftResult {
  metric: ProfileDriftMetric;
  /** PSI, JS distance, or the chi-squared statistic. */
  value: number;
  /** For chiSquared only. */
  pValue?: number;
  /** Bucket labels compared (bin ranges, category values, `(other)`, `(missing)`). */
  buckets: string[];
  ref: number[];
  cur: number[];
}

const OTHER = '(other)';
const MISSING = '(missing)';

/**
 * Drift of one column between a reference (training) profile and a current (live window) profile.
 *
 * - Numeric columns (number, integer, datetime) compare their `histogram`s on the reference's
 *   edges (the current histogram is rebinned uniformly if its edges differ).
 * - Other columns compare `topValues`; values outside either top list are pooled in `(other)`
 *   (count − Σ topValues), so truncated top lists still add up.
 * - A `(missing)` bucket holds the missing counts when either side has any.
 *
 * `psi` uses ε = 1e-4 for empty buckets, `jensenShannon` is base 2, `chiSquared` is the 2×k
 * homogeneity test (see `chiSquared`; buckets empty on both sides are dropped).
 * Throws MYELIN_ERR_INTERNAL when the profiles lack what the column type needs.
 *
 * @example
 * driftBetweenProfiles(trainingProfile.columns[3], windowProfile.columns[3], 'psi').value; // 0.04
 */
export function driftBetweenProfiles(
  ref: ColumnProfile,
  cur: ColumnProfile,
  metric: ProfileDriftMetric,
  opts: { epsilon?: number } = {},
): ProfileDriftResult {
  const numeric = ref.type === 'number' || ref.type === 'integer' || ref.type === 'datetime';
  let buckets: string[];
  let r: number[];
  let c: number[];
  if (numeric) {
    if (!ref.histogram || !cur.histogram) {
      throw new MyelinError('MYELIN_ERR_INTERNAL', `drift: numeric column "${ref.name}" needs a histogram in both profiles`, {
        dataColumn: ref.name,
      });
    }
    const edges = ref.histogram.edges;
    r = ref.histogram.counts.slice();
    c = rebinHistogram(cur.histogram, edges);
    buckets = r.map((_, i) => `[${edges[i]}, ${edges[i + 1]}${i === r.length - 1 ? ']' : ')'}`);
  } else {
    if (!ref.topValues || !cur.topValues) {
      throw new MyelinError('MYELIN_ERR_INTERNAL', `drift: column "${ref.name}" needs topValues in both profiles`, {
        dataColumn: ref.name,
      });
    }
    const rMap = new Map(ref.topValues.map((t) => [t.value, t.count]));
    const cMap = new Map(cur.topValues.map((t) => [t.value, t.count]));
    buckets = [...new Set([...rMap.keys(), ...cMap.keys()])];
    r = buckets.map((k) => rMap.get(k) ?? 0);
    c = buckets.map((k) => cMap.get(k) ?? 0);
    const rOther = Math.max(0, ref.count - sum(r));
    const cOther = Math.max(0, cur.count - sum(c));
    if (rOther > 0 || cOther > 0) {
      buckets.push(OTHER);
      r.push(rOther);
      c.push(cOther);
    }
  }
  if (ref.missing > 0 || cur.missing > 0) {
    buckets.push(MISSING);
    r.push(ref.missing);
    c.push(cur.missing);
  }
  if (metric === 'psi') return { metric, value: psiFromCounts(r, c, opts.epsilon ?? 1e-4), buckets, ref: r, cur: c };
  if (metric === 'jensenShannon') return { metric, value: jensenShannonFromWeights(r, c), buckets, ref: r, cur: c };
  if (metric === 'chiSquared') {
    const t = chiSquaredFromCounts(r, c);
    return { metric, value: t.statistic, pValue: t.pValue, buckets, ref: r, cur: c };
  }
  throw new MyelinError('MYELIN_ERR_INTERNAL', `drift: unknown metric "${String(metric)}"`);
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
