import { MyelinError } from '@myelin/errors';
import { chiSquaredSf } from './chi-squared-sf.js';

export interface ChiSquaredResult {
  statistic: number;
  pValue: number;
  /** Degrees of freedom: categories − 1 (categories empty on both sides are dropped). */
  dof: number;
}

/**
 * Chi-squared test of homogeneity between reference and current category counts: the 2×k
 * contingency table [ref; cur] tested like `scipy.stats.chi2_contingency(table, correction=False)`
 * (no Yates correction, even for 2 categories). Categories are the union of both keys; a key
 * missing on one side counts 0; categories with 0 on both sides are dropped. With a single
 * category the result is { statistic: 0, pValue: 1, dof: 0 }.
 *
 * @example
 * chiSquared({ a: 10, b: 20 }, { a: 15, b: 12 }); // { statistic: 2.85, pValue: 0.0914, dof: 1 }
 */
export function chiSquared(
  refCounts: Readonly<Record<string, number>>,
  curCounts: Readonly<Record<string, number>>,
): ChiSquaredResult {
  const keys = [...new Set([...Object.keys(refCounts), ...Object.keys(curCounts)])];
  return chiSquaredFromCounts(
    keys.map((k) => refCounts[k] ?? 0),
    keys.map((k) => curCounts[k] ?? 0),
  );
}

/** The same test on two aligned count vectors. */
export function chiSquaredFromCounts(ref: readonly number[], cur: readonly number[]): ChiSquaredResult {
  const r: number[] = [];
  const c: number[] = [];
  ref.forEach((v, i) => {
    const w = cur[i] ?? 0;
    if (!(v >= 0) || !(w >= 0)) {
      throw new MyelinError('MYELIN_ERR_INTERNAL', `chiSquared: counts must be non-negative, got ${v} and ${w}`);
    }
    if (v + w > 0) {
      r.push(v);
      c.push(w);
    }
  });
  const rTotal = r.reduce((s, v) => s + v, 0);
  const cTotal = c.reduce((s, v) => s + v, 0);
  if (rTotal === 0 || cTotal === 0) {
    throw new MyelinError('MYELIN_ERR_INTERNAL', 'chiSquared: the reference and the current counts must not be empty');
  }
  const dof = r.length - 1;
  if (dof === 0) return { statistic: 0, pValue: 1, dof };
  const total = rTotal + cTotal;
  let statistic = 0;
  for (let i = 0; i < r.length; i++) {
    const col = (r[i] as number) + (c[i] as number);
    const er = (rTotal * col) / total;
    const ec = (cTotal * col) / total;
    statistic += ((r[i] as number) - er) ** 2 / er + ((c[i] as number) - ec) ** 2 / ec;
  }
  return { statistic, pValue: chiSquaredSf(statistic, dof), dof };
}
