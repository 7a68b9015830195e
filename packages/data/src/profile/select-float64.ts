/**
 * Reorders `values` (numbers, no NaN) so that `values[k]` is the k-th smallest (0-based), every
 * value before it ≤ it and every value after it ≥ it (Hoare's quickselect with a median-of-three
 * pivot; expected linear time), and returns `values[k]`.
 *
 * @example selectFloat64(Float64Array.of(5, 1, 4, 2, 3), 2); // 3
 */
export function selectFloat64(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot, moved to lo
    let a = values[lo] as number;
    let b = values[mid] as number;
    let c = values[hi] as number;
    if (a > b) [a, b] = [b, a];
    if (b > c) [b, c] = [c, b];
    if (a > b) [a, b] = [b, a];
    const pivot = b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const t = values[i] as number;
        values[i] = values[j] as number;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k] as number;
  }
  return values[k] as number;
}
