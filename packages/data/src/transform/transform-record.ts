import type { FittedPreprocessor } from './preprocess-config.js';
import { encodeRecord } from './encode-features.js';

/**
 * Transforms one record (e.g. a JSON request instance) into a model input row of `fp.width`
 * floats. Missing features (absent, null, NaN, "") are imputed; unseen categories follow
 * `fp.config.unseen`; a value of the wrong kind throws MYELIN_ERR_TRANSFORM naming the column.
 * Extra keys in the record are ignored.
 *
 * @example
 * transformRecord(fp, { Island: 'Dream', 'Body Mass (g)': 3800 }); // Float32Array [0, 1, 0, -0.52]
 */
export function transformRecord(fp: FittedPreprocessor, record: Readonly<Record<string, unknown>>): Float32Array {
  const out = new Float32Array(fp.width);
  encodeRecord(fp, record, out, 0);
  return out;
}
