import { TAG_NULL, TAG_NUMBER, type ColumnVector } from '@myelin/data';

/**
 * The rows (0-based indices into the dataset) whose target is present: not null and not a
 * non-finite number. The split and everything after it works on these rows, in this order.
 */
export function labelledRowIndices(target: ColumnVector): Int32Array {
  const out = new Int32Array(target.length);
  let n = 0;
  const { tags, numbers } = target;
  for (let i = 0; i < target.length; i++) {
    const tag = tags[i];
    if (tag === TAG_NULL) continue;
    if (tag === TAG_NUMBER) {
      const x = (numbers as Float64Array)[i] as number;
      if (x - x !== 0) continue;
    }
    out[n++] = i;
  }
  return out.slice(0, n);
}

/** Maps split positions (indices into the labelled rows) to dataset rows. */
export function datasetRows(labelled: Int32Array, positions: readonly number[]): Int32Array {
  const out = new Int32Array(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = labelled[positions[k] as number] as number;
  return out;
}
