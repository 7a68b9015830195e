import { checkSample } from './check-sample.js';

/**
 * 1-D Wasserstein (earth mover's) distance between two samples, as
 * `scipy.stats.wasserstein_distance(a, b)`: ∫ |F_a(x) − F_b(x)| dx.
 *
 * @example
 * wassersteinDistance([0, 1, 3], [5, 6, 8]); // 5
 */
export function wassersteinDistance(a: readonly number[], b: readonly number[]): number {
  checkSample(a, 'wassersteinDistance');
  checkSample(b, 'wassersteinDistance');
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const all = new Float64Array(x.length + y.length);
  all.set(x);
  all.set(y, x.length);
  all.sort();
  let i = 0;
  let j = 0;
  let sum = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const v = all[k] as number;
    while (i < x.length && (x[i] as number) <= v) i++;
    while (j < y.length && (y[j] as number) <= v) j++;
    sum += Math.abs(i / x.length - j / y.length) * ((all[k + 1] as number) - v);
  }
  return sum;
}

/**
 * Wasserstein distance divided by the reference's population standard deviation (ddof 0,
 * numpy's default): `wasserstein_distance(ref, cur) / np.std(ref)`, a scale-free drift measure
 * (≈ how many reference standard deviations the distribution moved). When the reference is
 * constant (std 0) the plain distance is returned.
 *
 * @example
 * wassersteinNormalized([0, 2], [1, 3]); // 1 / 1 = 1
 */
export function wassersteinNormalized(ref: readonly number[], cur: readonly number[]): number {
  const distance = wassersteinDistance(ref, cur);
  const mean = ref.reduce((s, v) => s + v, 0) / ref.length;
  const variance = ref.reduce((s, v) => s + (v - mean) ** 2, 0) / ref.length;
  const std = Math.sqrt(variance);
  return std > 0 ? distance / std : distance;
}
