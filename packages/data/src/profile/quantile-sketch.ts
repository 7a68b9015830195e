/** Buckets a side's window holds at most; past it, the side's precision drops a bit. */
const MAX_BUCKETS = 8192;
/** Mantissa bits a bucket starts at (its width: 2⁻³⁶ of its values), before any coarsening. */
const START_BITS = 36;
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const TWO32 = 2 ** 32;

/**
 * The counts of one sign's magnitudes in equal-width buckets of the IEEE-754 bit pattern: bucket
 * `k` at `bits` mantissa bits holds |x| whose pattern, less its `52 − bits` low bits, is `k`
 * (the same exponent, the same leading `bits` mantissa bits), so a bucket spans a relative width of
 * at most 2^−bits. The buckets are a dense window of at most `MAX_BUCKETS`; a value outside a full
 * window halves the precision (pairs of buckets merge) until it fits.
 */
class MagnitudeBuckets {
  bits = START_BITS;
  /** The bucket key of `counts[0]`. */
  private offset = 0;
  private counts = new Float64Array(64);
  /** The lowest and highest bucket keys counted. */
  private low = Infinity;
  private high = -Infinity;
  total = 0;
  /** 2^(bits − 20) and 2^(bits − 52): the weights of the high and low words in a key. */
  private scaleHi = 2 ** (START_BITS - 20);
  private scaleLo = 2 ** (START_BITS - 52);

  /** The bucket of a magnitude (a non-negative double) at the current precision. */
  private keyOf(magnitude: number): number {
    F64[0] = magnitude;
    if (this.bits <= 20) return (U32[1] as number) >>> (20 - this.bits);
    return (U32[1] as number) * this.scaleHi + Math.floor((U32[0] as number) * this.scaleLo);
  }

  add(magnitude: number, n: number): void {
    let key = this.keyOf(magnitude);
    let i = key - this.offset;
    if (i < 0 || i >= this.counts.length) {
      this.include(key);
      key = this.keyOf(magnitude);
      i = key - this.offset;
    }
    (this.counts[i] as number) += n;
    if (key < this.low) this.low = key;
    if (key > this.high) this.high = key;
    this.total += n;
  }

  /** Moves, grows or coarsens the window until it covers `key` (at the current precision). */
  private include(key: number): void {
    if (this.total === 0) {
      this.offset = key - (this.counts.length >> 1);
      return;
    }
    // halve the precision (bucket k becomes k >> 1) until the occupied span fits
    while (Math.max(this.high, key) - Math.min(this.low, key) + 1 > MAX_BUCKETS) {
      const offset = Math.floor(this.offset / 2);
      const merged = new Float64Array(this.counts.length);
      for (let k = this.low; k <= this.high; k++) {
        const c = this.counts[k - this.offset] as number;
        if (c !== 0) (merged[Math.floor(k / 2) - offset] as number) += c;
      }
      this.counts = merged;
      this.offset = offset;
      this.low = Math.floor(this.low / 2);
      this.high = Math.floor(this.high / 2);
      this.bits--;
      this.scaleHi = 2 ** (this.bits - 20);
      this.scaleLo = 2 ** (this.bits - 52);
      key = Math.floor(key / 2);
    }
    const lo = Math.min(this.low, key);
    const hi = Math.max(this.high, key);
    if (lo >= this.offset && hi < this.offset + this.counts.length) return;
    let length = Math.min(MAX_BUCKETS, 2 * this.counts.length);
    while (length < hi - lo + 1) length *= 2;
    length = Math.min(MAX_BUCKETS, length);
    // the slack on the side the window grows towards
    const offset = key < this.low ? hi - length + 1 : lo;
    const grown = new Float64Array(length);
    grown.set(this.counts.subarray(this.low - this.offset, this.high - this.offset + 1), this.low - offset);
    this.counts = grown;
    this.offset = offset;
  }

  /**
   * The magnitude at cumulative count `rank` (0..total) of the magnitudes in ascending order, or
   * in descending order when `descending`: interpolated inside the bucket the rank falls in.
   */
  at(rank: number, descending: boolean): number {
    const counts = this.counts;
    let before = 0;
    const first = descending ? this.high : this.low;
    const last = descending ? this.low : this.high;
    const step = descending ? -1 : 1;
    for (let k = first; k !== last + step; k += step) {
      const c = counts[k - this.offset] as number;
      if (c === 0) continue;
      if (before + c >= rank || k === last) {
        const lo = valueOf(k, this.bits);
        const hi = valueOf(k + 1, this.bits);
        const f = Math.min(1, (rank - before) / c);
        return descending ? hi - (hi - lo) * f : lo + (hi - lo) * f;
      }
      before += c;
    }
    return NaN;
  }

  /** How many magnitudes are ≤ m (linear inside m's bucket). */
  upTo(m: number): number {
    if (this.total === 0 || !(m > 0)) return 0;
    const key = this.keyOf(m);
    if (key < this.low) return 0;
    if (key > this.high) return this.total;
    const counts = this.counts;
    let below = 0;
    for (let k = this.low; k < key; k++) below += counts[k - this.offset] as number;
    const c = counts[key - this.offset] as number;
    if (c === 0) return below;
    const lo = valueOf(key, this.bits);
    const hi = valueOf(key + 1, this.bits);
    return below + (hi > lo ? c * Math.min(1, (m - lo) / (hi - lo)) : c);
  }
}

/** The smallest magnitude in bucket `key` at `bits` mantissa bits. */
function valueOf(key: number, bits: number): number {
  const pattern = key * 2 ** (52 - bits);
  const hi = Math.floor(pattern / TWO32);
  if (hi >= 0x7ff00000) return Infinity;
  U32[1] = hi;
  U32[0] = pattern - hi * TWO32;
  return F64[0] as number;
}

/**
 * Streaming quantiles with bounded memory and no sort: finite values are counted in buckets of
 * their IEEE-754 bit pattern (zeros apart, negatives and positives each in a window of at most
 * 8,192 buckets), as fine as the window allows — a bucket spans at most 2⁻³⁶ of its values to
 * start with and widens (pairs merge) only when the values need a wider window; a value's quantile
 * is interpolated inside its bucket and kept within the seen minimum and maximum. A few
 * nanoseconds a value and at most 128 KiB a column.
 */
export class QuantileSketch {
  private readonly negative = new MagnitudeBuckets();
  private readonly positive = new MagnitudeBuckets();
  private zeros = 0;
  private min = Infinity;
  private max = -Infinity;

  /** Adds `n` copies of a finite value. */
  add(value: number, n = 1): void {
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > 0) this.positive.add(value, n);
    else if (value < 0) this.negative.add(-value, n);
    else this.zeros += n;
  }

  /** Adds `xs[from..to)`, finite values, once each. */
  addAll(xs: Float64Array, from: number, to: number): void {
    let min = this.min;
    let max = this.max;
    let zeros = 0;
    const positive = this.positive;
    const negative = this.negative;
    for (let i = from; i < to; i++) {
      const x = xs[i] as number;
      if (x < min) min = x;
      if (x > max) max = x;
      if (x > 0) positive.add(x, 1);
      else if (x < 0) negative.add(-x, 1);
      else zeros++;
    }
    this.min = min;
    this.max = max;
    this.zeros += zeros;
  }

  /** The value at quantile `q` (0..1): the `q·(count − 1)`-th smallest value (0-based), interpolated. */
  quantile(q: number): number {
    const count = this.count;
    if (count === 0) return NaN;
    // the k-th value (0-based) as the middle of [k, k + 1) on the cumulative count
    const target = Math.min(count, Math.max(0, q * (count - 1) + 0.5));
    const negatives = this.negative.total;
    let x: number;
    if (target <= negatives) x = -this.negative.at(target, true);
    else if (target <= negatives + this.zeros) x = 0;
    else x = this.positive.at(target - negatives - this.zeros, false);
    return Math.min(this.max, Math.max(this.min, x));
  }

  /** Fraction of values ≤ x (approximate: linear inside x's bucket). */
  cdf(x: number): number {
    const count = this.count;
    if (count === 0) return NaN;
    if (x < this.min) return 0;
    if (x >= this.max) return 1;
    const negatives = this.negative.total;
    // values ≤ a negative x: the negatives of magnitude ≥ |x|
    const below = x < 0 ? negatives - this.negative.upTo(-x) : negatives + this.zeros + this.positive.upTo(x);
    return Math.min(1, Math.max(0, below / count));
  }

  get count(): number {
    return this.negative.total + this.zeros + this.positive.total;
  }
}
