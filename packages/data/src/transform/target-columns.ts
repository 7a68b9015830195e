import { cellAt, type ColumnVector, TAG_STRING } from '../io/column-vector.js';
import type { Cell, Task } from '../types.js';
import { encodeTarget, fitTargetEncoder, type TargetEncoder } from './target-encoder.js';

/** The cells of `rows` of a vector, in order. */
export function cellsAt(v: ColumnVector, rows: ArrayLike<number>): Cell[] {
  const out = new Array<Cell>(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = cellAt(v, rows[k] as number);
  return out;
}

/** The distinct cells of `rows` of a vector (first appearance first) and, per row, which one it holds. */
function distinctCells(v: ColumnVector, rows: ArrayLike<number>): { cells: Cell[]; of: Int32Array } {
  const cells: Cell[] = [];
  const index = new Map<Cell, number>();
  const of = new Int32Array(rows.length);
  // a string's distinct index by its dictionary code (-1: not seen yet)
  const byCode = new Int32Array(v.dictionary.length).fill(-1);
  const distinct = (cell: Cell): number => {
    let d = index.get(cell);
    if (d === undefined) {
      d = cells.length;
      index.set(cell, d);
      cells.push(cell);
    }
    return d;
  };
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    if (v.tags[i] === TAG_STRING) {
      const code = (v.codes as Int32Array)[i] as number;
      let d = byCode[code] as number;
      if (d < 0) byCode[code] = d = distinct(v.dictionary[code] as string);
      of[k] = d;
    } else of[k] = distinct(cellAt(v, i));
  }
  return { cells, of };
}

const missing = (c: Cell): boolean => c === null || (typeof c === 'number' && Number.isNaN(c));

/**
 * `fitTargetEncoder` of the cells of `rows` of a vector, without an array of them for a
 * classification target: the encoder depends only on the distinct labels. The same encoder and
 * the same errors (a missing label, or a regression target, goes through the cells themselves).
 */
export function fitTargetEncoderOnRows(v: ColumnVector, rows: ArrayLike<number>, task: Task): TargetEncoder {
  if (task === 'regression') return fitTargetEncoder(cellsAt(v, rows), task);
  const { cells } = distinctCells(v, rows);
  if (cells.some(missing)) return fitTargetEncoder(cellsAt(v, rows), task);
  return fitTargetEncoder(cells, task);
}

/**
 * `encodeTarget` of the cells of `rows` of a vector: for a classification target each distinct
 * label is looked up once. The same matrix and the same errors (an unknown class is reported by
 * `encodeTarget` on the cells themselves, naming its first row).
 */
export function encodeTargetOnRows(
  enc: TargetEncoder,
  v: ColumnVector,
  rows: ArrayLike<number>,
): { data: Float32Array; rows: number; cols: number } {
  if (enc.task === 'regression') return encodeTarget(enc, cellsAt(v, rows));
  const { cells, of } = distinctCells(v, rows);
  const index = new Map(enc.classes.map((c, i) => [c, i]));
  const classOf = cells.map((c) => (c === null ? undefined : index.get(String(c))));
  if (classOf.some((k) => k === undefined)) return encodeTarget(enc, cellsAt(v, rows));
  const n = rows.length;
  const binary = enc.task === 'binary';
  const cols = binary ? 1 : enc.classes.length;
  const data = new Float32Array(n * cols);
  for (let k = 0; k < n; k++) {
    const c = classOf[of[k] as number] as number;
    if (binary) data[k] = c;
    else data[k * cols + c] = 1;
  }
  return { data, rows: n, cols };
}
