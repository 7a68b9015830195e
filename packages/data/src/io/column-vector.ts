import type { Cell } from '../types.js';

/** What a cell of a `ColumnVector` holds. */
export const TAG_NULL = 0;
export const TAG_NUMBER = 1;
export const TAG_FALSE = 2;
export const TAG_TRUE = 3;
export const TAG_STRING = 4;

/**
 * One column of a batch of rows, typed: a tag per row says what the cell holds, numbers sit in a
 * Float64Array, strings as indices into a dictionary of the vector's distinct strings (a
 * dictionary may list the same string twice; compare strings, not codes, across entries). A
 * vector holds exactly the cells a `Row` would (number, string, boolean or null), without an object
 * per row.
 *
 * @example
 * const v = vectorFromValues([1, 'a', null, true]);
 * cellAt(v, 1); // 'a'
 */
export interface ColumnVector {
  readonly length: number;
  /** One of TAG_NULL, TAG_NUMBER, TAG_FALSE, TAG_TRUE, TAG_STRING per row. */
  readonly tags: Uint8Array;
  /** The number of each TAG_NUMBER row (other rows: unspecified); null when no row is a number. */
  readonly numbers: Float64Array | null;
  /** The dictionary index of each TAG_STRING row (other rows: unspecified); null when no row is a string. */
  readonly codes: Int32Array | null;
  readonly dictionary: readonly string[];
  /** How many rows hold a null, a number, a boolean and a string. */
  readonly nulls: number;
  readonly numberCount: number;
  readonly booleanCount: number;
  readonly stringCount: number;
}

/** The cell of row `i`. */
export function cellAt(v: ColumnVector, i: number): Cell {
  switch (v.tags[i]) {
    case TAG_NUMBER:
      return (v.numbers as Float64Array)[i] as number;
    case TAG_STRING:
      return v.dictionary[(v.codes as Int32Array)[i] as number] as string;
    case TAG_TRUE:
      return true;
    case TAG_FALSE:
      return false;
    default:
      return null;
  }
}

/** Counts the tags of a vector's rows: the summary fields of a `ColumnVector`. */
export function countTags(
  tags: Uint8Array,
  length: number,
): Pick<ColumnVector, 'nulls' | 'numberCount' | 'booleanCount' | 'stringCount'> {
  const c = [0, 0, 0, 0, 0];
  for (let i = 0; i < length; i++) (c[tags[i] as number] as number)++;
  return {
    nulls: c[TAG_NULL] as number,
    numberCount: c[TAG_NUMBER] as number,
    booleanCount: (c[TAG_FALSE] as number) + (c[TAG_TRUE] as number),
    stringCount: c[TAG_STRING] as number,
  };
}

/** A vector of `length` nulls. */
export function nullVector(length: number): ColumnVector {
  return {
    length,
    tags: new Uint8Array(length),
    numbers: null,
    codes: null,
    dictionary: [],
    nulls: length,
    numberCount: 0,
    booleanCount: 0,
    stringCount: 0,
  };
}

/** The rows `from`..`to` (exclusive) of a vector, sharing its buffers. */
export function sliceVector(v: ColumnVector, from: number, to: number): ColumnVector {
  const tags = v.tags.subarray(from, to);
  return {
    length: to - from,
    tags,
    numbers: v.numbers ? v.numbers.subarray(from, to) : null,
    codes: v.codes ? v.codes.subarray(from, to) : null,
    dictionary: v.dictionary,
    ...countTags(tags, to - from),
  };
}

/**
 * Buffers reused from one vector to the next (so work on hundreds of columns one after another
 * allocates them once); a vector built into a scratch is valid until the scratch's next use.
 */
export class ColumnScratch {
  tags = new Uint8Array(0);
  numbers: Float64Array | null = null;
  codes: Int32Array | null = null;

  /** Makes room for `n` rows (the buffers keep their contents only while big enough). */
  reserve(n: number): void {
    if (this.tags.length >= n) return;
    this.tags = new Uint8Array(n);
    this.numbers = null;
    this.codes = null;
  }
}

/**
 * The rows at `rows` (indices into `v`), in that order: a new vector sharing the dictionary, in
 * `scratch`'s buffers when given.
 */
export function gatherVector(v: ColumnVector, rows: ArrayLike<number>, scratch?: ColumnScratch): ColumnVector {
  const n = rows.length;
  scratch?.reserve(n);
  const tags = scratch ? scratch.tags.subarray(0, n) : new Uint8Array(n);
  let numbers: Float64Array | null = null;
  if (v.numbers && v.numberCount > 0) {
    numbers = scratch ? (scratch.numbers ??= new Float64Array(scratch.tags.length)).subarray(0, n) : new Float64Array(n);
  }
  let codes: Int32Array | null = null;
  if (v.codes && v.stringCount > 0) {
    codes = scratch ? (scratch.codes ??= new Int32Array(scratch.tags.length)).subarray(0, n) : new Int32Array(n);
  }
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    tags[k] = v.tags[i] as number;
    if (numbers) numbers[k] = (v.numbers as Float64Array)[i] as number;
    if (codes) codes[k] = (v.codes as Int32Array)[i] as number;
  }
  return { length: n, tags, numbers, codes, dictionary: v.dictionary, ...countTags(tags, n) };
}

/** Joins vectors end to end (dictionaries are concatenated, codes shifted). */
export function concatVectors(parts: readonly ColumnVector[]): ColumnVector {
  if (parts.length === 1) return parts[0] as ColumnVector;
  let n = 0;
  let anyNumbers = false;
  let anyStrings = false;
  for (const p of parts) {
    n += p.length;
    anyNumbers ||= p.numbers !== null && p.numberCount > 0;
    anyStrings ||= p.codes !== null && p.stringCount > 0;
  }
  const tags = new Uint8Array(n);
  const numbers = anyNumbers ? new Float64Array(n) : null;
  const codes = anyStrings ? new Int32Array(n) : null;
  const dictionary: string[] = [];
  let at = 0;
  for (const p of parts) {
    tags.set(p.tags.subarray(0, p.length), at);
    if (numbers && p.numbers && p.numberCount > 0) numbers.set(p.numbers.subarray(0, p.length), at);
    if (codes && p.codes && p.stringCount > 0) {
      const shift = dictionary.length;
      for (let i = 0; i < p.length; i++) codes[at + i] = (p.codes[i] as number) + shift;
      for (const s of p.dictionary) dictionary.push(s);
    }
    at += p.length;
  }
  return { length: n, tags, numbers, codes, dictionary, ...countTags(tags, n) };
}
