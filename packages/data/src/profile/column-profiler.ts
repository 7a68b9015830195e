import type { Cell, ColumnProfile, ColumnType, Histogram } from '../types.js';
import { NumericStats } from './numeric-stats.js';
import { type NumberHashes, ValueCounter } from './value-counter.js';

/** Number of equal-width histogram bins between min and max. */
export const HISTOGRAM_BINS = 20;
const QUANTILES = { p1: 0.01, p5: 0.05, p25: 0.25, p50: 0.5, p75: 0.75, p95: 0.95, p99: 0.99 } as const;
const TOP = 10;

/**
 * Profiles one column in one pass with bounded memory (see `ValueCounter`). Feed every non-null
 * value with `add`; `finish` builds the `ColumnProfile` for the column's final type:
 * numbers get min/max/mean/std (Welford), quantiles p1..p99 (nearest-rank interpolation, exact up
 * to 10,000 distinct values, else t-digest), a 20-bin equal-width histogram (exact up to 10,000
 * distinct values, else derived from the t-digest's CDF, so approximate) and the nonFinite count;
 * categories, booleans and strings get the 10 most frequent values.
 */
export class ColumnProfiler {
  count = 0;
  nonFinite = 0;
  readonly stats = new NumericStats();
  readonly values = new ValueCounter();

  constructor(readonly name: string) {}

  /** Adds one non-null value. */
  add(v: Cell): void {
    this.count++;
    if (typeof v === 'number') {
      if (Number.isFinite(v)) this.stats.add(v);
      else this.nonFinite++;
    }
    this.values.add(v);
  }

  /**
   * Adds the first `k` values of `xs`, all finite numbers (a batch: the same as `add` on each);
   * `hashes`: their hashes, when the caller has them (see `ValueCounter.addFiniteNumbers`).
   */
  addFiniteNumbers(xs: Float64Array, k: number, hashes?: NumberHashes): void {
    this.count += k;
    this.stats.addAll(xs, k);
    this.values.addFiniteNumbers(xs, k, hashes);
  }

  /** Adds `n` occurrences of a string or boolean (`h0`/`h1`: its hashes, see `ValueCounter.addOther`). */
  addOther(v: string | boolean, n: number, h0?: number, h1?: number): void {
    this.count += n;
    this.values.addOther(v, n, h0, h1);
  }

  /** The profile, for a column of `type` in a table of `rows` rows. */
  finish(type: ColumnType, rows: number): ColumnProfile {
    const p: ColumnProfile = {
      name: this.name,
      type,
      count: this.count,
      missing: rows - this.count,
      distinct: this.values.distinct(),
      distinctApproximate: this.values.approximate,
    };
    if (type === 'number' || type === 'integer') {
      p.nonFinite = this.nonFinite;
      if (this.stats.count > 0) {
        Object.assign(p, {
          min: this.stats.min,
          max: this.stats.max,
          mean: this.stats.mean,
          std: this.stats.std(),
        });
        Object.assign(p, this.numericShape());
      }
    } else if (type === 'category' || type === 'boolean' || type === 'string') {
      p.topValues = this.topValues();
    }
    return p;
  }

  private topValues(): { value: string; count: number }[] {
    const entries: { value: string; count: number }[] = [];
    for (const [v, n] of this.values.entries()) entries.push({ value: String(v), count: n });
    entries.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return entries.slice(0, TOP);
  }

  private numericShape(): Pick<ColumnProfile, 'quantiles' | 'histogram'> {
    const { min, max, count } = this.stats;
    const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) =>
      i === HISTOGRAM_BINS ? max : min + ((max - min) * i) / HISTOGRAM_BINS,
    );
    const sketch = this.values.sketch();
    if (sketch) {
      const quantiles = Object.fromEntries(
        Object.entries(QUANTILES).map(([k, q]) => [k, sketch.quantile(q)]),
      ) as ColumnProfile['quantiles'];
      const counts: number[] = [];
      let prev = 0;
      for (let i = 1; i <= HISTOGRAM_BINS; i++) {
        const cum = i === HISTOGRAM_BINS ? count : Math.round(count * sketch.cdf(edges[i] as number));
        counts.push(Math.max(0, cum - prev));
        prev = Math.max(prev, cum);
      }
      return { quantiles, histogram: max > min ? { edges, counts } : { edges: [min, max], counts: [count] } };
    }
    // exact: sorted distinct finite values with counts
    const pairs: [number, number][] = [];
    for (const [v, n] of this.values.entries())
      if (typeof v === 'number' && Number.isFinite(v)) pairs.push([v, n]);
    pairs.sort((a, b) => a[0] - b[0]);
    const at = rankLookup(pairs);
    const quantiles = Object.fromEntries(
      Object.entries(QUANTILES).map(([k, q]) => {
        const h = (count - 1) * q;
        const lo = Math.floor(h);
        const a = at(lo);
        return [k, a + (h - lo) * (at(Math.min(count - 1, lo + 1)) - a)];
      }),
    ) as ColumnProfile['quantiles'];
    return { quantiles, histogram: exactHistogram(pairs, min, max, count, edges) };
  }
}

/** Returns a lookup of the k-th (0-based) smallest value in a sorted value/count list. */
function rankLookup(pairs: [number, number][]): (k: number) => number {
  const cum: number[] = [];
  let total = 0;
  for (const [, n] of pairs) cum.push((total += n));
  return (k) => {
    let lo = 0;
    let hi = pairs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] as number) > k) hi = mid;
      else lo = mid + 1;
    }
    return (pairs[lo] as [number, number])[0];
  };
}

function exactHistogram(
  pairs: [number, number][],
  min: number,
  max: number,
  count: number,
  edges: number[],
): Histogram {
  if (max <= min) return { edges: [min, max], counts: [count] };
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  const width = (max - min) / HISTOGRAM_BINS;
  for (const [v, n] of pairs) {
    const bin = Math.min(HISTOGRAM_BINS - 1, Math.floor((v - min) / width));
    counts[bin] = (counts[bin] as number) + n;
  }
  return { edges, counts };
}
