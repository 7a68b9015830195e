/** Count, min, max, mean and standard deviation of finite numbers (Welford's online algorithm). */
export class NumericStats {
  count = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  private m2 = 0;

  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /**
   * Adds the first `k` values of `xs` (finite numbers) at once: the batch's mean and squared
   * deviations are computed in two passes and merged (Chan et al.), as stable as one `add` each.
   */
  addAll(xs: Float64Array, k: number): void {
    if (k === 0) return;
    const mean = sumOf(xs, k) / k;
    const m2 = squaredDeviations(xs, k, mean);
    const n = this.count + k;
    const delta = mean - this.mean;
    this.mean += (delta * k) / n;
    this.m2 += m2 + (delta * delta * this.count * k) / n;
    this.count = n;
    // a tie keeps the earlier value (0 before -0), as `add` one at a time does
    const lo = minimumOf(xs, k);
    const hi = maximumOf(xs, k);
    if (lo < this.min) this.min = lo;
    if (hi > this.max) this.max = hi;
  }

  /** Sample standard deviation (n − 1); 0 for fewer than two values. */
  std(): number {
    return this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : 0;
  }
}

// Each pass over a batch is a function of its own that returns right after its loop: V8 compiles
// such a loop on the stack (OSR) on the first call, and code after the loop that had not run yet
// would make that compiled loop bail out again on every later call (a batch a call).

/** The sum of `xs[0..k)`, left to right. */
function sumOf(xs: Float64Array, k: number): number {
  let sum = 0;
  for (let i = 0; i < k; i++) sum += xs[i] as number;
  return sum;
}

/** The sum of `(xs[i] − mean)²` over `[0, k)`, left to right. */
function squaredDeviations(xs: Float64Array, k: number, mean: number): number {
  let m2 = 0;
  for (let i = 0; i < k; i++) {
    const d = (xs[i] as number) - mean;
    m2 += d * d;
  }
  return m2;
}

/** The smallest of `xs[0..k)` (finite numbers, k ≥ 1). */
function minimumOf(xs: Float64Array, k: number): number {
  let min = Infinity;
  for (let i = 0; i < k; i++) {
    const x = xs[i] as number;
    if (x < min) min = x;
  }
  return min;
}

/** The largest of `xs[0..k)` (finite numbers, k ≥ 1). */
function maximumOf(xs: Float64Array, k: number): number {
  let max = -Infinity;
  for (let i = 0; i < k; i++) {
    const x = xs[i] as number;
    if (x > max) max = x;
  }
  return max;
}
