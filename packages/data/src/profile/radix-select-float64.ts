import { selectFloat64 } from './select-float64.js';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const HIST = new Int32Array(1 << 16);
/** Arrays up to this long go straight to quickselect; past it, so do buckets that hold more than an eighth. */
const SMALL = 1 << 15;

/**
 * The (k-1)-th and k-th smallest (0-based) of `values` (numbers, no NaN; `lower` is -Infinity
 * for k = 0), without reordering them: one pass buckets the values by the top 16 bits of their
 * sortable bit pattern, a second gathers the buckets from the (k-1)-th's to the k-th's, and only
 * those go through `selectFloat64`. The same numbers as `selectFloat64` on a copy (and the
 * largest value left of it), except that where a result is a zero, which of -0 and +0 it is can
 * differ when both occur (callers that care check for a -0).
 *
 * @example kthSmallestPair(Float64Array.of(5, 1, 4, 2, 3), 2); // { lower: 2, upper: 3 }
 */
export function kthSmallestPair(values: Float64Array, k: number): { lower: number; upper: number } {
  const n = values.length;
  if (n > SMALL && LITTLE_ENDIAN) {
    const words = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
    HIST.fill(0);
    for (let i = 1; i < 2 * n; i += 2) {
      const hi = words[i] as number;
      // sortable: negative patterns flipped, positive ones above them
      (HIST[((hi ^ ((hi >> 31) | 0x80000000)) >>> 16) as number] as number)++;
    }
    let below = 0;
    let first = 0;
    while (below + (HIST[first] as number) <= k - 1) below += HIST[first++] as number;
    let last = first;
    let through = below + (HIST[first] as number);
    while (through <= k) through += HIST[++last] as number;
    const size = through - below;
    if (size <= n >> 3) {
      const candidates = new Float64Array(size);
      let m = 0;
      for (let i = 0; i < n; i++) {
        const hi = words[2 * i + 1] as number;
        const b = (hi ^ ((hi >> 31) | 0x80000000)) >>> 16;
        if (b >= first && b <= last) candidates[m++] = values[i] as number;
      }
      return pairOf(candidates, k - below);
    }
  }
  return pairOf(values.slice(), k);
}

/** The k-th smallest of `values` (reordered) and the largest value left of it. */
function pairOf(values: Float64Array, k: number): { lower: number; upper: number } {
  const upper = selectFloat64(values, k);
  let lower = -Infinity;
  for (let i = 0; i < k; i++) if ((values[i] as number) > lower) lower = values[i] as number;
  return { lower, upper };
}
