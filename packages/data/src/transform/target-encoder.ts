import { MyelinError } from '@myelin/errors';
import type { Cell, Task } from '../types.js';

/** Classification target: sorted class labels; index i is output i (binary: classes[1] is 1). */
export interface ClassTargetEncoder {
  version: 1;
  task: 'binary' | 'multiclass';
  classes: string[];
  /** JS type of the original labels, so decoding gives them back. */
  labelType: 'string' | 'number' | 'boolean';
}

/** Regression target: raw, or standardised with the training mean and population std. */
export interface RegressionTargetEncoder {
  version: 1;
  task: 'regression';
  standardize: boolean;
  mean: number;
  /** Never 0 (a constant target is stored with std 1). */
  std: number;
}

export type TargetEncoder = ClassTargetEncoder | RegressionTargetEncoder;

function fail(detail: string, row?: number): never {
  throw new MyelinError('MYELIN_ERR_TRANSFORM', detail, row === undefined ? { path: 'data.target' } : { row, path: 'data.target' });
}

/**
 * Fits the target encoding on the training labels. Classification: the distinct labels, sorted
 * (numerically when all are numbers, else by code unit, so false < true); binary needs exactly 2.
 * Regression: mean and population std; `standardize` (default false) makes `encodeTarget` output
 * (y − mean) / std. Missing labels are an error (validation drops or rejects them first).
 *
 * @example
 * fitTargetEncoder(['Gentoo', 'Adelie', 'Chinstrap', 'Adelie'], 'multiclass').classes;
 * // ['Adelie', 'Chinstrap', 'Gentoo']
 */
export function fitTargetEncoder(values: readonly Cell[], task: Task, opts: { standardize?: boolean } = {}): TargetEncoder {
  values.forEach((v, i) => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) fail(`the target is missing (record ${i})`, i + 1);
  });
  if (task === 'regression') {
    const ys = values.map((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`a regression target must be a finite number, got ${JSON.stringify(v)} (record ${i})`, i + 1);
      return v;
    });
    const n = ys.length;
    const mean = n ? ys.reduce((s, y) => s + y, 0) / n : 0;
    const std = n ? Math.sqrt(ys.reduce((s, y) => s + (y - mean) ** 2, 0) / n) : 0;
    return { version: 1, task, standardize: opts.standardize ?? false, mean, std: std > 0 ? std : 1 };
  }
  const allNumbers = values.every((v) => typeof v === 'number');
  const allBooleans = values.every((v) => typeof v === 'boolean');
  const distinct = [...new Set(values)];
  if (allNumbers) (distinct as number[]).sort((a, b) => a - b);
  const classes = distinct.map(String);
  if (!allNumbers) classes.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (new Set(classes).size !== classes.length) fail('target labels collide when written as strings (e.g. 1 and "1")');
  if (task === 'binary' && classes.length !== 2) {
    fail(`a binary target needs exactly 2 classes, found ${classes.length}: ${classes.slice(0, 10).join(', ')}`);
  }
  if (task === 'multiclass' && classes.length < 2) fail(`a multiclass target needs at least 2 classes, found ${classes.length}`);
  return { version: 1, task, classes, labelType: allNumbers ? 'number' : allBooleans ? 'boolean' : 'string' };
}

/**
 * Encodes labels as model targets, row-major: binary → 1 column of 0/1 (classes[1] is 1);
 * multiclass → one-hot over `classes`; regression → 1 column, raw or standardised.
 * An unknown class or a non-number regression target throws MYELIN_ERR_TRANSFORM with its row.
 */
export function encodeTarget(
  enc: TargetEncoder,
  values: readonly Cell[],
): { data: Float32Array; rows: number; cols: number } {
  const rows = values.length;
  if (enc.task === 'regression') {
    const data = new Float32Array(rows);
    values.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`a regression target must be a finite number, got ${JSON.stringify(v)} (record ${i})`, i + 1);
      data[i] = enc.standardize ? (v - enc.mean) / enc.std : v;
    });
    return { data, rows, cols: 1 };
  }
  const index = new Map(enc.classes.map((c, i) => [c, i]));
  const cols = enc.task === 'binary' ? 1 : enc.classes.length;
  const data = new Float32Array(rows * cols);
  values.forEach((v, i) => {
    const k = v === null ? undefined : index.get(String(v));
    if (k === undefined) fail(`unknown target class ${JSON.stringify(v)} (record ${i}; known: ${enc.classes.join(', ')})`, i + 1);
    if (enc.task === 'binary') data[i] = k;
    else data[i * cols + k] = 1;
  });
  return { data, rows, cols };
}

/**
 * Decodes one model output: for classification a class index → the original label (number,
 * boolean or string); for regression a model value → the target scale (undoing standardisation).
 *
 * @example
 * decodeTarget(enc, 2); // 'Gentoo'
 */
export function decodeTarget(enc: TargetEncoder, output: number): Cell {
  if (enc.task === 'regression') return enc.standardize ? output * enc.std + enc.mean : output;
  const label = enc.classes[output];
  if (!Number.isInteger(output) || label === undefined) {
    throw new MyelinError('MYELIN_ERR_TRANSFORM', `class index ${output} is outside 0..${enc.classes.length - 1}`);
  }
  if (enc.labelType === 'number') return Number(label);
  if (enc.labelType === 'boolean') return label === 'true';
  return label;
}
