import { kthSmallestPair } from '../profile/radix-select-float64.js';
import { selectFloat64 } from '../profile/select-float64.js';
import type { FittedNumericFeature } from './preprocess-config.js';

/** The min, the max and the compensated (Neumaier) sum of the values, in their order: sum + carry. */
export interface FirstPass {
  min: number;
  max: number;
  sum: number;
  carry: number;
}

/**
 * The first pass over `values`, in their order: what `numericFeatureStats` needs besides them. The
 * columnar fit makes the same pass inline as it gathers the values (same comparisons, same sums).
 */
export function firstPass(values: Float64Array): FirstPass {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let carry = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x < min) min = x;
    if (x > max) max = x;
    const t = sum + x;
    if (t - t === 0) carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return { min, max, sum, carry };
}

/**
 * A numeric feature's fitted statistics — count, mean, population std, min, max and the median —
 * in linear time: compensated (Neumaier) sums for the mean and the squared deviations (accurate
 * where large values of both signs cancel, which a running mean is not), a bucketed selection for
 * the median (exact; see `kthSmallestPair`). Both fit paths (`fitPreprocessor` on records,
 * `fitPreprocessorColumns` on columns) use it, so they agree bit for bit. `first` is the first
 * pass over `values` (`firstPass`). May reorder `values`.
 */
export function numericFeatureStats(values: Float64Array, first: FirstPass): FittedNumericFeature['stats'] {
  const count = values.length;
  if (count === 0) return { count, mean: 0, std: 0, min: 0, max: 0, median: 0 };
  const { min, max, sum, carry } = first;
  const mean = (sum + carry) / count;
  let m2 = 0;
  let m2carry = 0;
  for (let i = 0; i < count; i++) {
    const d = (values[i] as number) - mean;
    const sq = d * d;
    const t = m2 + sq;
    if (t - t === 0) m2carry += m2 >= sq ? m2 - t + sq : sq - t + m2;
    m2 = t;
  }
  const mid = count >> 1;
  const pair = kthSmallestPair(values, mid);
  let upper = pair.upper;
  let median = count % 2 === 0 ? (pair.lower + upper) / 2 : upper;
  if (median === 0 && hasNegativeZero(values)) {
    // which zero the median is depends on quickselect's order: take it as quickselect does
    upper = selectFloat64(values, mid);
    median = upper;
    if (count % 2 === 0) {
      // the largest value left of the upper middle one
      let lower = -Infinity;
      for (let i = 0; i < mid; i++) if ((values[i] as number) > lower) lower = values[i] as number;
      median = (lower + upper) / 2;
    }
  }
  return { count, mean, std: Math.sqrt((m2 + m2carry) / count), min, max, median };
}

/** Whether `values` holds a -0. */
function hasNegativeZero(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Object.is(values[i], -0)) return true;
  return false;
}
