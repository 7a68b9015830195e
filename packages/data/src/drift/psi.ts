import type { Histogram } from '../types.js';
import { alignedCounts } from './binning.js';

/** Options of `psi`. */
export interface PsiOptions {
  /** Bins for two samples (reference deciles by default). @defaultValue 10 */
  bins?: number;
  /** Proportion used in place of an empty bin's 0, so the log stays finite. @defaultValue 1e-4 */
  epsilon?: number;
}

/**
 * Population stability index Σ (c − r)·ln(c / r) over bins, where r and c are the reference and
 * current proportions; a proportion of 0 is replaced by `epsilon` (1e-4; no renormalisation).
 * Bins: for two samples, the reference's quantiles (`bins`, default 10, ties merged); with a
 * histogram, its edges (the other side binned or, for two histograms with different edges, the
 * current one rebinned uniformly). Rule of thumb: < 0.1 stable, 0.1–0.2 moderate, > 0.2 shifted.
 *
 * @example
 * psi({ edges: [0, 1, 2], counts: [50, 50] }, { edges: [0, 1, 2], counts: [80, 20] }); // ≈ 0.4159
 */
export function psi(
  ref: Histogram | readonly number[],
  cur: Histogram | readonly number[],
  opts: PsiOptions = {},
): number {
  const counts = alignedCounts(ref, cur, opts.bins ?? 10);
  return psiFromCounts(counts.ref, counts.cur, opts.epsilon ?? 1e-4);
}

/** PSI of two aligned count (or weight) vectors; see `psi`. */
export function psiFromCounts(ref: readonly number[], cur: readonly number[], epsilon = 1e-4): number {
  const rTotal = ref.reduce((s, v) => s + v, 0);
  const cTotal = cur.reduce((s, v) => s + v, 0);
  let sum = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = (rTotal > 0 ? (ref[i] as number) / rTotal : 0) || epsilon;
    const c = (cTotal > 0 ? (cur[i] as number) / cTotal : 0) || epsilon;
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}
