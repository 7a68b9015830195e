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
    let sum = 0;
    let min = this.min;
    let max = this.max;
    for (let i = 0; i < k; i++) {
      const x = xs[i] as number;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = sum / k;
    let m2 = 0;
    for (let i = 0; i < k; i++) {
      const d = (xs[i] as number) - mean;
      m2 += d * d;
    }
    const n = this.count + k;
    const delta = mean - this.mean;
    this.mean += (delta * k) / n;
    this.m2 += m2 + (delta * delta * this.count * k) / n;
    this.count = n;
    this.min = min;
    this.max = max;
  }

  /** Sample standard deviation (n − 1); 0 for fewer than two values. */
  std(): number {
    return this.count > 1 ? Math.sqrt(this.m2 / (this.count - 1)) : 0;
  }
}
