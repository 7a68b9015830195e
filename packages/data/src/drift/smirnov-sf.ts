import { logGamma } from './log-gamma.js';

/**
 * One-sided Kolmogorov–Smirnov survival function P(D⁺ₙ ≥ x) (scipy.special.smirnov), by the
 * exact Smirnov–Birnbaum–Tingey sum, each term computed in log space:
 * x · Σ_{j=0}^{⌊n(1−x)⌋} C(n,j) (x + j/n)^(j−1) (1 − x − j/n)^(n−j).
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const jMax = Math.floor(n * (1 - x) + 1e-12);
  const logFactN = logGamma(n + 1);
  let sum = 0;
  for (let j = 0; j <= jMax; j++) {
    const lo = 1 - x - j / n;
    if (lo <= 0 && n - j > 0) continue;
    const logTerm =
      logFactN -
      logGamma(j + 1) -
      logGamma(n - j + 1) +
      (j - 1) * Math.log(x + j / n) +
      (n - j > 0 ? (n - j) * Math.log(lo) : 0);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, Math.max(0, x * sum));
}
