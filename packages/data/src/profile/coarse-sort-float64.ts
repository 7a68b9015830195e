/** Bits of a 12-bit radix digit, and the digit mask. */
const DIGIT_BITS = 12;
const DIGITS = 1 << DIGIT_BITS;
const MASK = DIGITS - 1;

const counts = new Uint32Array(DIGITS);
let keys = new Uint32Array(0);
let keysTmp = new Uint32Array(0);
let valuesTmp = new Float64Array(0);
const hiWord = new Uint32Array(new Float64Array(1).buffer);

/**
 * Sorts finite numbers ascending in place by the top 24 bits of their IEEE-754 order key (sign,
 * exponent and the 12 leading mantissa bits), with two passes of a 12-bit LSD radix sort: values
 * land in order up to a relative difference of 2⁻¹² (two values more than that apart are always
 * in order; closer ones may be swapped). What a quantile sketch needs before it merges a buffer
 * into centroids — a fraction of `sortFloat64`'s cost (8 passes over 64-bit keys).
 *
 * @example coarseSortFloat64(Float64Array.of(3, -1, 2)); // Float64Array [-1, 2, 3]
 */
export function coarseSortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < 2) return values;
  if (keys.length < n) {
    keys = new Uint32Array(n);
    keysTmp = new Uint32Array(n);
    valuesTmp = new Float64Array(n);
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  // sortable unsigned keys from the high words: negatives flip every bit, others the sign bit
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1] as number;
    keys[i] = (hi >>> 31 ? ~hi : hi | 0x80000000) >>> 8;
  }
  // bits 0..11 of the key, then 12..23 (a pass is skipped when every value shares its digit)
  let srcKeys = keys;
  let srcValues = values;
  let dstKeys = keysTmp;
  let dstValues = valuesTmp;
  for (let shift = 0; shift < 2 * DIGIT_BITS; shift += DIGIT_BITS) {
    counts.fill(0);
    for (let i = 0; i < n; i++) (counts[((srcKeys[i] as number) >>> shift) & MASK] as number)++;
    if (counts[((srcKeys[0] as number) >>> shift) & MASK] === n) continue;
    let sum = 0;
    for (let d = 0; d < DIGITS; d++) {
      const c = counts[d] as number;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = srcKeys[i] as number;
      const at = (counts[(k >>> shift) & MASK] as number)++;
      dstKeys[at] = k;
      dstValues[at] = srcValues[i] as number;
    }
    [srcKeys, dstKeys] = [dstKeys, srcKeys];
    [srcValues, dstValues] = [dstValues, srcValues];
  }
  if (srcValues !== values) values.set(srcValues.subarray(0, n));
  return values;
}

/** The order key `coarseSortFloat64` sorts by (for tests): the top 24 bits of the IEEE-754 order key. */
export function coarseKey(x: number): number {
  new Float64Array(hiWord.buffer)[0] = x;
  const hi = hiWord[1] as number;
  return (hi >>> 31 ? ~hi : hi | 0x80000000) >>> 8;
}
