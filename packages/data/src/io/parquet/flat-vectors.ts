import { type ColumnVector, TAG_NUMBER, TAG_STRING } from '../column-vector.js';
import type { FlatColumn } from './flat-column-chunk.js';

/**
 * The vectors of a decoded flat column's row ranges `slices` ([from, to) each): the same vectors
 * `vectorFromValues` makes of hyparquet's values (strings coded in order of first appearance
 * within each vector, `numbers`/`codes` null when no row is a number/string).
 */
export function flatVectors(col: FlatColumn, slices: readonly (readonly [number, number])[]): ColumnVector[] {
  const seen = col.refs ? new Int32Array(col.table.length).fill(-1) : null;
  const code = col.refs ? new Int32Array(col.table.length) : null;
  return slices.map(([from, to], s) => {
    const n = to - from;
    const tags = new Uint8Array(n);
    const nulls = col.nulls;
    const present = nulls ? presentIn(nulls, from, n) : n;
    const counts = { nulls: n - present, booleanCount: 0 };
    if (col.numbers) {
      // the row group's numbers, shared (a vector's buffers may be views, as `sliceVector` makes them)
      const numbers = present > 0 ? col.numbers.subarray(from, to) : null;
      if (!nulls || present === n) tags.fill(TAG_NUMBER);
      else tagNumbers(tags, nulls, from, n);
      return {
        length: n,
        tags,
        numbers,
        codes: null,
        dictionary: [],
        numberCount: present,
        stringCount: 0,
        ...counts,
      };
    }
    const dictionary: string[] = [];
    const codes = present > 0 ? new Int32Array(n) : null;
    if (codes) codeStrings(col, from, n, s, seen as Int32Array, code as Int32Array, tags, codes, dictionary);
    return {
      length: n,
      tags,
      numbers: null,
      codes,
      dictionary,
      numberCount: 0,
      stringCount: present,
      ...counts,
    };
  });
}

// Each loop below is a function of its own that returns right after the loop: V8 compiles a hot
// loop on the stack (OSR) on the first call, and code after it that had not run yet would make
// that compiled loop bail out again on every later call (a vector a call).

/** How many of the rows `[from, from + n)` are not null. */
function presentIn(nulls: Uint8Array, from: number, n: number): number {
  let present = 0;
  for (let i = 0; i < n; i++) present += nulls[from + i] ? 0 : 1;
  return present;
}

/** Tags the rows `[from, from + n)` of a number column: a number unless null. */
function tagNumbers(tags: Uint8Array, nulls: Uint8Array, from: number, n: number): void {
  for (let i = 0; i < n; i++) tags[i] = nulls[from + i] ? 0 : TAG_NUMBER;
}

/**
 * Codes the strings of the rows `[from, from + n)` of slice `s` in order of first appearance:
 * `seen[ref] === s` marks a table entry already in this slice's `dictionary`, at `codeOf[ref]`.
 */
function codeStrings(
  col: FlatColumn,
  from: number,
  n: number,
  s: number,
  seen: Int32Array,
  codeOf: Int32Array,
  tags: Uint8Array,
  codes: Int32Array,
  dictionary: string[],
): void {
  const refs = col.refs as Int32Array;
  const nulls = col.nulls;
  const table = col.table;
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[from + i]) continue;
    const ref = refs[from + i] as number;
    if (seen[ref] !== s) {
      seen[ref] = s;
      codeOf[ref] = dictionary.push(table[ref] as string) - 1;
    }
    codes[i] = codeOf[ref] as number;
    tags[i] = TAG_STRING;
  }
}
