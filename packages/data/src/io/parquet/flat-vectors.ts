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
    let present = n;
    if (nulls) {
      present = 0;
      for (let i = 0; i < n; i++) present += nulls[from + i] ? 0 : 1;
    }
    const counts = { nulls: n - present, booleanCount: 0 };
    if (col.numbers) {
      // the row group's numbers, shared (a vector's buffers may be views, as `sliceVector` makes them)
      const numbers = present > 0 ? col.numbers.subarray(from, to) : null;
      if (!nulls || present === n) tags.fill(TAG_NUMBER);
      else for (let i = 0; i < n; i++) tags[i] = nulls[from + i] ? 0 : TAG_NUMBER;
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
    const refs = col.refs as Int32Array;
    const seenIn = seen as Int32Array;
    const codeOf = code as Int32Array;
    const dictionary: string[] = [];
    const codes = present > 0 ? new Int32Array(n) : null;
    for (let i = 0; i < n; i++) {
      if (nulls && nulls[from + i]) continue;
      const ref = refs[from + i] as number;
      if (seenIn[ref] !== s) {
        seenIn[ref] = s;
        codeOf[ref] = dictionary.push(col.table[ref] as string) - 1;
      }
      (codes as Int32Array)[i] = codeOf[ref] as number;
      tags[i] = TAG_STRING;
    }
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
