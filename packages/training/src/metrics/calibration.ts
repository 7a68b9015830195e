import type { ClassProbabilities } from './class-probabilities.js';

/** One bin of a reliability diagram. Empty bins report accuracy and confidence 0. */
export interface ReliabilityBin {
  /** Lower edge (exclusive, except 0 for the first bin). */
  lower: number;
  /** Upper edge (inclusive). */
  upper: number;
  /** Samples whose confidence falls in (lower, upper]. */
  count: number;
  /** Fraction of those samples whose predicted class is right. */
  accuracy: number;
  /** Mean confidence of those samples. */
  confidence: number;
}

/** Number of equal-width bins for ECE and the reliability diagram. */
export const CALIBRATION_BINS = 15;

/**
 * Expected calibration error (Guo et al. 2017): confidence = the top probability of each sample,
 * binned into `bins` equal-width bins (lower, upper] over [0, 1] (a confidence of exactly 0 goes
 * to the first bin); ECE = Σ_b (count_b / n) · |accuracy_b − confidence_b|.
 *
 * @example
 * // binary, P(class 1) = [0.9, 0.6], truth [1, 0] → confidences 0.9 (right), 0.6 (wrong)
 * calibration([1, 0], probs, predicted).ece; // (0.1 + 0.6) / 2 = 0.35
 */
export function calibration(
  yTrue: ArrayLike<number>,
  probs: ClassProbabilities,
  predicted: ArrayLike<number>,
  bins: number = CALIBRATION_BINS,
): { ece: number; reliability: ReliabilityBin[] } {
  const { n, k, p } = probs;
  const count = new Float64Array(bins);
  const hits = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const pred = predicted[i] as number;
    const conf = p[i * k + pred] as number;
    const b = Math.min(bins - 1, Math.max(0, Math.ceil(conf * bins) - 1));
    count[b] = (count[b] as number) + 1;
    confSum[b] = (confSum[b] as number) + conf;
    if (pred === yTrue[i]) hits[b] = (hits[b] as number) + 1;
  }
  let ece = 0;
  const reliability: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b] as number;
    const acc = c === 0 ? 0 : (hits[b] as number) / c;
    const conf = c === 0 ? 0 : (confSum[b] as number) / c;
    if (c > 0) ece += (c / n) * Math.abs(acc - conf);
    reliability.push({ lower: b / bins, upper: (b + 1) / bins, count: c, accuracy: acc, confidence: conf });
  }
  return { ece, reliability };
}
