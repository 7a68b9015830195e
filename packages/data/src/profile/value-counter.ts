import type { Cell } from '../types.js';
import { hashCell } from './hash-cell.js';
import { HyperLogLog } from './hyper-log-log.js';
import { QuantileSketch } from './quantile-sketch.js';

/** Distinct values counted exactly (with their counts) up to this many; then estimated. */
export const EXACT_DISTINCT_CAP = 10_000;
const HEAVY_KEEP = 5_000;

/**
 * Counts the non-null values of one column with bounded memory.
 * Up to `EXACT_DISTINCT_CAP` distinct values it keeps an exact value → count map, so distinct
 * counts, top values, quantiles and histograms are exact. Past the cap it switches to:
 * a HyperLogLog for distinct (`approximate`), a t-digest for numeric quantiles, and a pruned
 * heavy-hitters map of strings/booleans for top values (counts are then lower bounds).
 */
export class ValueCounter {
  /** Exact counts, or (after overflow) heavy-hitter counts of strings/booleans. */
  counts = new Map<Cell, number>();
  approximate = false;
  private hll: HyperLogLog | undefined;
  private digest: QuantileSketch | undefined;
  private readonly h = new Uint32Array(2);

  add(v: Cell): void {
    if (!this.approximate) {
      const c = this.counts.get(v);
      if (c !== undefined) {
        this.counts.set(v, c + 1);
        return;
      }
      if (this.counts.size < EXACT_DISTINCT_CAP) {
        this.counts.set(v, 1);
        return;
      }
      this.overflow();
    }
    hashCell(v, this.h);
    (this.hll as HyperLogLog).add(this.h[0] as number, this.h[1] as number);
    if (typeof v === 'number') {
      if (Number.isFinite(v)) (this.digest as QuantileSketch).add(v);
      return;
    }
    const c = this.counts.get(v);
    this.counts.set(v, (c ?? 0) + 1);
    if (this.counts.size >= EXACT_DISTINCT_CAP) this.prune();
  }

  /** Number of distinct values (estimated once `approximate`). */
  distinct(): number {
    return this.hll ? this.hll.estimate() : this.counts.size;
  }

  /** The t-digest of numeric values once past the cap; undefined while counts are exact. */
  sketch(): QuantileSketch | undefined {
    return this.digest;
  }

  private overflow(): void {
    this.approximate = true;
    this.hll = new HyperLogLog();
    this.digest = new QuantileSketch();
    for (const [v, n] of this.counts) {
      hashCell(v, this.h);
      this.hll.add(this.h[0] as number, this.h[1] as number);
      if (typeof v === 'number') {
        if (Number.isFinite(v)) this.digest.add(v, n);
        this.counts.delete(v);
      }
    }
    if (this.counts.size >= HEAVY_KEEP) this.prune();
  }

  /** Keeps the `HEAVY_KEEP` most frequent entries. */
  private prune(): void {
    const values = Float64Array.from(this.counts.values()).sort();
    const threshold = values[values.length - HEAVY_KEEP] as number;
    let kept = 0;
    for (const [v, n] of this.counts) {
      if (n < threshold || (n === threshold && kept >= HEAVY_KEEP)) this.counts.delete(v);
      else kept++;
    }
  }
}
