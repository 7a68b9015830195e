import { type ColumnVector, TAG_NULL, TAG_NUMBER, TAG_STRING, TAG_TRUE } from '../io/column-vector.js';
import type { Cell } from '../types.js';
import type { FittedFeature, FittedPreprocessor } from './preprocess-config.js';
import { encodeRecord } from './encode-features.js';

/** Where `writeColumnFeature` reads and writes. */
export interface ColumnFeatureRows {
  /** Which rows of the vector to write, in output order (indices into the vector); all rows when absent. */
  rows?: ArrayLike<number>;
  /** Floats from one output row to the next. @defaultValue fp.width */
  stride?: number;
  /** Where in an output row the feature's columns start. @defaultValue the feature's offset */
  offset?: number;
}

/**
 * Writes one feature of many rows into a row-major matrix, from a column vector instead of
 * records: output row k (of `fp.width` floats, at `out[k * fp.width]`; or of `stride` floats,
 * with the feature at `offset`, to fill a block of a few features at a time) gets the feature of
 * vector row `rows[k]` (or k). Each distinct cell goes through `encodeRecord` itself — the one transform
 * code path, so the matrix equals `transformBatch` on the same records, value for value — and
 * the result is reused for the other rows holding it. Errors are `encodeRecord`'s errors, naming
 * the column and the output row k as the record index.
 *
 * @example
 * for (const f of fp.features) writeColumnFeature(fp, f, column(f.name), out, { rows: testRows });
 */
export function writeColumnFeature(
  fp: FittedPreprocessor,
  feature: FittedFeature,
  v: ColumnVector,
  out: Float32Array,
  opts: ColumnFeatureRows = {},
): void {
  const width = opts.stride ?? fp.width;
  const offset = opts.offset ?? feature.offset;
  const span = feature.kind === 'category' ? feature.width : 1;
  const n = opts.rows ? opts.rows.length : v.length;
  const rows = opts.rows;
  const single: FittedPreprocessor = { ...fp, features: [{ ...feature, offset: 0 } as FittedFeature], width: span };
  const encoded = new Float32Array(span);
  const record: Record<string, Cell> = {};
  /** The encoding of `cell` as record `k` (errors name k). */
  const encode = (cell: Cell, k: number, into: Float32Array, at: number): void => {
    record[feature.name] = cell;
    encodeRecord(single, record, encoded, 0, k);
    into.set(encoded, at);
  };
  // distinct cells: the encodings of null, false, true, each string and each number, computed once
  const nullCode = new Float32Array(span);
  let nullDone = false;
  const boolCodes = new Float32Array(span * 2);
  const boolDone = [false, false];
  const stringCodes = new Float32Array(span * v.dictionary.length);
  const stringDone = new Uint8Array(v.dictionary.length);
  const numberCodes = new Map<number, Float32Array>();
  const numeric = feature.kind === 'numeric';
  /** Copies one encoding (`span` floats of `from` at `start`) to `out[at…]`: a loop, not a subarray a row. */
  const copy = (from: Float32Array, start: number, at: number): void => {
    for (let j = 0; j < span; j++) out[at + j] = from[start + j] as number;
  };
  /** Writes output row `k` from vector row `i`. */
  const one = (k: number, i: number): void => {
    const at = k * width + offset;
    const tag = v.tags[i];
    if (tag === TAG_NUMBER) {
      const x = (v.numbers as Float64Array)[i] as number;
      if (numeric && x - x === 0) {
        // a finite number: (x − center) / scale, as encodeRecord computes it
        const f = feature as Extract<FittedFeature, { kind: 'numeric' }>;
        out[at] = (x - f.center) / f.scale;
        return;
      }
      let code = numberCodes.get(x);
      if (!code) {
        code = new Float32Array(span);
        encode(x, k, code, 0);
        numberCodes.set(x, code);
      }
      copy(code, 0, at);
    } else if (tag === TAG_STRING) {
      const c = (v.codes as Int32Array)[i] as number;
      if (stringDone[c] === 0) {
        encode(v.dictionary[c] as string, k, stringCodes, c * span);
        stringDone[c] = 1;
      }
      copy(stringCodes, c * span, at);
    } else if (tag === TAG_NULL) {
      if (!nullDone) {
        encode(null, k, nullCode, 0);
        nullDone = true;
      }
      copy(nullCode, 0, at);
    } else {
      const b = tag === TAG_TRUE ? 1 : 0;
      if (!boolDone[b]) {
        encode(tag === TAG_TRUE, k, boolCodes, b * span);
        boolDone[b] = true;
      }
      copy(boolCodes, b * span, at);
    }
  };
  if (feature.kind === 'numeric' && v.numbers) {
    // the common case in one tight loop: finite numbers scaled in place, any other cell by `one`
    const { center, scale } = feature;
    const tags = v.tags;
    const numbers = v.numbers;
    for (let k = 0, at = offset; k < n; k++, at += width) {
      const i = rows ? (rows[k] as number) : k;
      const x = numbers[i] as number;
      if (tags[i] === TAG_NUMBER && x - x === 0) out[at] = (x - center) / scale;
      else one(k, i);
    }
    return;
  }
  for (let k = 0; k < n; k++) one(k, rows ? (rows[k] as number) : k);
}
