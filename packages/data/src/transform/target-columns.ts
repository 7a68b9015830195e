import { cellAt, type ColumnVector, TAG_STRING } from '../io/column-vector.js';
import type { Cell, Task } from '../types.js';
import { encodeTarget, fitTargetEncoder, type TargetEncoder } from './target-encoder.js';

/** The cells of `rows` of a vector, in order. */
export function cellsAt(v: ColumnVector, rows: ArrayLike<number>): Cell[] {
  const out = new Array<Cell>(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = cellAt(v, rows[k] as number);
  return out;
}

/**
 * Which distinct cell each row of `rows` of a vector holds, as `visit(k, d)` (row k holds distinct
 * cell d), and the distinct cells, first appearance first. Strings are told apart by their
 * dictionary code first (one lookup per code), so no per-row array is built.
 */
function distinctCells(
  v: ColumnVector,
  rows: ArrayLike<number>,
  visit?: (k: number, d: number) => void,
): Cell[] {
  const cells: Cell[] = [];
  const index = new Map<Cell, number>();
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
    let d: number;
    if (v.tags[i] === TAG_STRING) {
      const code = (v.codes as Int32Array)[i] as number;
      d = byCode[code] as number;
      if (d < 0) byCode[code] = d = distinct(v.dictionary[code] as string);
    } else d = distinct(cellAt(v, i));
    visit?.(k, d);
  }
  return cells;
}

/**
 * Which class each row of `rows` of a vector is in, as `splitIndices`' `groups`: classes are the
 * distinct cells (strict equality, `null` a class of its own, as `labels` would group them),
 * numbered in order of first appearance. No cell is made per row (strings go by dictionary code).
 */
export function distinctCellIds(v: ColumnVector, rows: ArrayLike<number>): Int32Array {
  const ids = new Int32Array(rows.length);
  distinctCells(v, rows, (k, d) => {
    ids[k] = d;
  });
  return ids;
}

const missing = (c: Cell): boolean => c === null || (typeof c === 'number' && Number.isNaN(c));

/**
 * `fitTargetEncoder` of the cells of `rows` of a vector, without an array of them for a
 * classification target: the encoder depends only on the distinct labels. The same encoder and
 * the same errors (a missing label, or a regression target, goes through the cells themselves).
 */
export function fitTargetEncoderOnRows(v: ColumnVector, rows: ArrayLike<number>, task: Task): TargetEncoder {
  if (task === 'regression') return fitTargetEncoder(cellsAt(v, rows), task);
  const cells = distinctCells(v, rows);
  if (cells.some(missing)) return fitTargetEncoder(cellsAt(v, rows), task);
  return fitTargetEncoder(cells, task);
}

/** The number of output columns `encodeTarget` gives for an encoder. */
export function targetWidth(enc: TargetEncoder): number {
  return enc.task === 'multiclass' ? enc.classes.length : 1;
}

/**
 * Throws what `encodeTarget` throws on the cells of `rows` of a vector (an unknown class, a
 * regression target that is not a finite number), without encoding them.
 */
export function checkTargetOnRows(enc: TargetEncoder, v: ColumnVector, rows: ArrayLike<number>): void {
  if (enc.task === 'regression') {
    encodeTarget(enc, cellsAt(v, rows));
    return;
  }
  const index = new Set(enc.classes);
  const cells = distinctCells(v, rows);
  if (cells.some((c) => c === null || !index.has(String(c)))) encodeTarget(enc, cellsAt(v, rows));
}

/**
 * `encodeTarget` of the cells of `rows` of a vector, written into `out` (`rows.length ×
 * targetWidth(enc)` floats, zeroed): for a classification target each distinct label is looked
 * up once. The same values and the same errors (an unknown class is reported by `encodeTarget`
 * on the cells themselves, naming its first row).
 */
export function encodeTargetOnRows(
  enc: TargetEncoder,
  v: ColumnVector,
  rows: ArrayLike<number>,
  out: Float32Array,
): void {
  if (enc.task === 'regression') {
    out.set(encodeTarget(enc, cellsAt(v, rows)).data);
    return;
  }
  const index = new Map(enc.classes.map((c, i) => [c, i]));
  const classOf = (c: Cell): number => (c === null ? -1 : (index.get(String(c)) ?? -1));
  const cells = distinctCells(v, rows);
  const classes = Int32Array.from(cells, classOf);
  if (classes.includes(-1)) {
    encodeTarget(enc, cellsAt(v, rows)); // throws, naming the first row of an unknown class
    return;
  }
  const binary = enc.task === 'binary';
  const cols = targetWidth(enc);
  // a second walk gives each row its distinct cell in the same order, hence the same indices
  distinctCells(v, rows, (k, d) => {
    const c = classes[d] as number;
    if (binary) out[k] = c;
    else out[k * cols + c] = 1;
  });
}
