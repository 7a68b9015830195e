/**
 * Copies the rows `order[start … start + count)` of a row-major array with `width` columns
 * into a new array (one batch, in that order).
 */
export function gatherRows(
  src: Float32Array,
  width: number,
  order: Uint32Array,
  start: number,
  count: number,
): Float32Array {
  const out = new Float32Array(count * width);
  for (let r = 0; r < count; r++) {
    const from = (order[start + r] as number) * width;
    out.set(src.subarray(from, from + width), r * width);
  }
  return out;
}
