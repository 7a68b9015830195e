import type { Cell } from '../types.js';
import { hashCell } from './hash-cell.js';
import { HyperLogLog } from './hyper-log-log.js';
import { NumberCounts } from './number-counts.js';
import { QuantileSketch } from './quantile-sketch.js';
import { selectFloat64 } from './select-float64.js';

/** The two hashes of each of a run of numbers (`hashCell`'s `out[0]` and `out[1]`). */
export interface NumberHashes {
  readonly h0: Int32Array;
  readonly h1: Int32Array;
}

/** Distinct values counted exactly (with their counts) up to this many; then estimated. */
export const EXACT_DISTINCT_CAP = 10_000;
const HEAVY_KEEP = 5_000;

/**
 * Counts the non-null values of one column with bounded memory.
 * Up to `EXACT_DISTINCT_CAP` distinct values it keeps exact value → count tables (numbers in a
 * typed table, strings and booleans in a map), so distinct counts, top values, quantiles and
 * histograms are exact. Past the cap it switches to: a HyperLogLog for distinct (`approximate`), a
 * t-digest for numeric quantiles, and a pruned heavy-hitters map of strings/booleans for top
 * values (counts are then lower bounds). Numbers and strings of equal text are different values
 * (1 ≠ "1").
 */
export class ValueCounter {
  approximate = false;
  /** Exact counts of numbers (dropped once `approximate`). */
  private numbers: NumberCounts | undefined;
  /** Exact counts, or (after overflow) heavy-hitter counts, of strings and booleans. */
  private others = new Map<string | boolean, number>();
  private hll: HyperLogLog | undefined;
  private digest: QuantileSketch | undefined;
  private readonly h = new Uint32Array(2);

  constructor() {
    // the fields `overflow` and `prune` store, stored a second time before any code is optimised
    // (`numbers` was undefined first): V8 treats a field stored only once as a constant, and the
    // first overflow then dropped the optimised code of addOther and its callers mid-file
    this.approximate = false;
    this.numbers = new NumberCounts();
    this.others = new Map();
    this.hll = undefined;
    this.digest = undefined;
  }

  /** Adds one non-null value. */
  add(v: Cell, n = 1): void {
    if (typeof v === 'number') this.addNumber(v, n);
    else if (v !== null) this.addOther(v, n);
  }

  /** Adds `n` occurrences of a number (finite or not). */
  addNumber(x: number, n = 1): void {
    if (this.numbers) {
      if (this.numbers.add(x, n) && this.distinctExact() > EXACT_DISTINCT_CAP) this.overflow();
      return;
    }
    hashCell(x, this.h);
    (this.hll as HyperLogLog).add(this.h[0] as number, this.h[1] as number);
    if (Number.isFinite(x)) (this.digest as QuantileSketch).add(x, n);
  }

  /**
   * Adds the first `k` values of `xs`, all finite numbers; `hashes`, when given, holds each one's
   * two hashes (as `hashCell` gives them), which saves hashing them again once `approximate`.
   */
  addFiniteNumbers(xs: Float64Array, k: number, hashes?: NumberHashes): void {
    let i = 0;
    const counts = this.numbers;
    if (counts) {
      i = counts.addAll(xs, k, EXACT_DISTINCT_CAP + 1 - this.others.size);
      if (counts.size + this.others.size > EXACT_DISTINCT_CAP) this.overflow();
      if (i >= k) return;
    }
    if (hashes) (this.hll as HyperLogLog).addHashes(hashes.h0, hashes.h1, i, k);
    else (this.hll as HyperLogLog).addFiniteNumbers(xs, i, k);
    (this.digest as QuantileSketch).addAll(xs, i, k);
  }

  /**
   * Adds `n` occurrences of a string or boolean; `h0`/`h1`, when the caller has them, are its two
   * hashes as `hashCell` gives them (saves hashing it again once `approximate`).
   */
  addOther(v: string | boolean, n = 1, h0?: number, h1?: number): void {
    const c = this.others.get(v);
    if (!this.approximate) {
      this.others.set(v, (c ?? 0) + n);
      if (c === undefined && this.distinctExact() > EXACT_DISTINCT_CAP) this.overflow();
      return;
    }
    if (h0 !== undefined && h1 !== undefined) (this.hll as HyperLogLog).add(h0, h1);
    else {
      hashCell(v, this.h);
      (this.hll as HyperLogLog).add(this.h[0] as number, this.h[1] as number);
    }
    this.others.set(v, (c ?? 0) + n);
    if (this.others.size >= EXACT_DISTINCT_CAP) this.prune();
  }

  /** Number of distinct values (estimated once `approximate`). */
  distinct(): number {
    return this.hll ? this.hll.estimate() : this.distinctExact();
  }

  /** Values held with their counts: every value while exact, else the string/boolean heavy hitters. */
  *entries(): Generator<[Cell, number]> {
    if (this.numbers) yield* this.numbers.entries();
    yield* this.others;
  }

  /** How many values `entries` yields. */
  get size(): number {
    return this.distinctExact();
  }

  /** The t-digest of numeric values once past the cap; undefined while counts are exact. */
  sketch(): QuantileSketch | undefined {
    return this.digest;
  }

  private distinctExact(): number {
    return (this.numbers?.size ?? 0) + this.others.size;
  }

  private overflow(): void {
    this.approximate = true;
    this.hll = new HyperLogLog();
    this.digest = new QuantileSketch();
    for (const [v, n] of this.entries()) {
      hashCell(v, this.h);
      this.hll.add(this.h[0] as number, this.h[1] as number);
      if (typeof v === 'number' && Number.isFinite(v)) this.digest.add(v, n);
    }
    this.numbers = undefined;
    if (this.others.size >= HEAVY_KEEP) this.prune();
  }

  /**
   * Keeps the `HEAVY_KEEP` most frequent entries (ties: the earliest), in their order. The kept
   * entries go to a new map rather than the others being deleted from this one: deleting half a
   * map's entries at every prune left it full of holes, which made every later lookup slower.
   */
  private prune(): void {
    const others = this.others;
    // the HEAVY_KEEP-th largest count (a selection: the same value a sort would put there)
    const counts = new Float64Array(others.size);
    let i = 0;
    for (const n of others.values()) counts[i++] = n;
    const threshold = selectFloat64(counts, counts.length - HEAVY_KEEP);
    const kept = new Map<string | boolean, number>();
    others.forEach((n, v) => {
      if (n > threshold || (n === threshold && kept.size < HEAVY_KEEP)) kept.set(v, n);
    });
    this.others = kept;
  }
}
