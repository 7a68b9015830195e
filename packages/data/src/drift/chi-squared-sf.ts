import { logGamma } from './log-gamma.js';

/**
 * Survival function of the chi-squared distribution, P(X > x) for `dof` degrees of freedom:
 * the regularised upper incomplete gamma Q(dof/2, x/2), by series below a+1 and a continued
 * fraction above (relative error ~1e-14). Same as scipy.stats.chi2.sf.
 *
 * @example
 * chiSquaredSf(3.841458820694124, 1); // ≈ 0.05
 */
export function chiSquaredSf(x: number, dof: number): number {
  if (!(x > 0)) return 1;
  if (x === Infinity) return 0;
  const a = dof / 2;
  const z = x / 2;
  const logPrefix = a * Math.log(z) - z - logGamma(a);
  if (z < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10000; n++) {
      term *= z / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Modified Lentz continued fraction for Q(a, z).
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(logPrefix) * h;
}
