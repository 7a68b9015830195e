import { MyelinError } from '@myelin/errors';
import type { Histogram } from '../types.js';
import { checkSample } from './check-sample.js';

/**
 * Bin edges from the reference sample's quantiles: min, the k/bins quantiles (numpy 'linear'
 * interpolation) for k = 1..bins−1, max; repeated edges (ties) are merged, so there may be fewer bins.
 *
 * @example
 * quantileEdges([1, 2, 3, 4, 5], 2); // [1, 3, 5]
 */
export function quantileEdges(reference: readonly number[], bins: number): number[] {
  checkSample(reference, 'quantileEdges');
  const s = Float64Array.from(reference).sort();
  const edges: number[] = [];
  for (let k = 0; k <= bins; k++) {
    const pos = (k / bins) * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, s.length - 1);
    const v = (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
    if (edges.length === 0 || v > (edges[edges.length - 1] as number)) edges.push(v);
  }
  if (edges.length === 1) edges.push(edges[0] as number);
  return edges;
}

/**
 * Counts `values` into the bins of `edges` (numpy convention: [e_i, e_i+1), the last bin closed).
 * Values below the first edge count in the first bin, values above the last in the last bin.
 */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (v >= (edges[mid] as number)) lo = mid;
      else hi = mid - 1;
    }
    counts[lo] = (counts[lo] as number) + 1;
  }
  return counts;
}

/**
 * Moves a histogram's counts onto other bin edges, assuming values spread uniformly inside each
 * source bin (mass outside the target range goes to the first/last target bin).
 * Returns the counts unchanged when the edges are equal.
 */
export function rebinHistogram(h: Histogram, edges: readonly number[]): number[] {
  checkHistogram(h);
  if (sameEdges(h.edges, edges)) return h.counts.slice();
  const out = new Array<number>(edges.length - 1).fill(0);
  h.counts.forEach((count, i) => {
    const lo = h.edges[i] as number;
    const hi = h.edges[i + 1] as number;
    const width = hi - lo;
    for (let j = 0; j < out.length; j++) {
      const tlo = j === 0 ? -Infinity : (edges[j] as number);
      const thi = j === out.length - 1 ? Infinity : (edges[j + 1] as number);
      let share: number;
      if (width <= 0) share = lo >= tlo && (lo < thi || j === out.length - 1) ? 1 : 0;
      else share = Math.max(0, Math.min(hi, thi) - Math.max(lo, tlo)) / width;
      out[j] = (out[j] as number) + count * share;
    }
  });
  return out;
}

/** True when two edge arrays are equal element by element. */
export function sameEdges(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Throws unless `h` has edges.length = counts.length + 1 ≥ 2 and non-negative counts. */
export function checkHistogram(h: Histogram): void {
  if (h.edges.length !== h.counts.length + 1 || h.counts.length === 0 || h.counts.some((c) => !(c >= 0))) {
    throw new MyelinError(
      'MYELIN_ERR_INTERNAL',
      `a histogram needs edges.length = counts.length + 1 and counts ≥ 0, got ${h.edges.length} edges and ${h.counts.length} counts`,
    );
  }
}

/** True when `x` is a `Histogram` rather than a sample. */
export function isHistogram(x: unknown): x is Histogram {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'edges' in x && 'counts' in x;
}

/**
 * Aligns a reference and a current input (samples or histograms) onto common bins and returns
 * both count vectors. Both samples: reference-quantile edges (`bins`). A histogram and a sample:
 * the histogram's edges. Two histograms: the reference's edges (current rebinned if they differ).
 */
export function alignedCounts(
  ref: Histogram | readonly number[],
  cur: Histogram | readonly number[],
  bins: number,
): { ref: number[]; cur: number[] } {
  if (isHistogram(ref)) {
    checkHistogram(ref);
    return { ref: ref.counts.slice(), cur: isHistogram(cur) ? rebinHistogram(cur, ref.edges) : sampleCounts(cur, ref.edges) };
  }
  if (isHistogram(cur)) {
    checkHistogram(cur);
    return { ref: sampleCounts(ref, cur.edges), cur: cur.counts.slice() };
  }
  const edges = quantileEdges(ref, bins);
  return { ref: binCounts(ref, edges), cur: sampleCounts(cur, edges) };
}

function sampleCounts(values: readonly number[], edges: readonly number[]): number[] {
  checkSample(values, 'drift');
  return binCounts(values, edges);
}
