import type { FittedPreprocessor } from './preprocess-config.js';
import { encodeRecords } from './encode-features.js';

/** A row-major matrix of model inputs. */
export interface TransformedBatch {
  data: Float32Array;
  rows: number;
  cols: number;
}

/**
 * Transforms many records into one row-major matrix (`rows × cols`, cols = fp.width), with the
 * same code as `transformRecord` (row i equals `transformRecord(fp, records[i])`). Errors carry
 * the record's index (0-based in the message, 1-based `location.row`). `encodeColumns` does the
 * same from columns.
 *
 * @example
 * const { data, rows, cols } = transformBatch(fp, instances);
 * tf.tensor2d(data, [rows, cols]);
 */
export function transformBatch(
  fp: FittedPreprocessor,
  records: readonly Readonly<Record<string, unknown>>[],
): TransformedBatch {
  const cols = fp.width;
  return { data: encodeRecords(fp, records), rows: records.length, cols };
}
