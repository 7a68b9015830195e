import type { ColumnVector } from '../column-vector.js';
import { TAG_NUMBER } from '../column-vector.js';

/**
 * How a column is stored in a dataset part (an Arrow type): `null` (no value yet), `int32`
 * (integers that fit), `float64`, `bool`, `utf8`, or `mixed` (an Arrow sparse union of float64,
 * bool and utf8, for columns whose cells are of several kinds).
 */
export type ColumnStorage = 'null' | 'int32' | 'float64' | 'bool' | 'utf8' | 'mixed';

/** The narrowest storage that holds every cell of a vector. */
export function storageOf(v: ColumnVector): ColumnStorage {
  const kinds = (v.numberCount > 0 ? 1 : 0) + (v.booleanCount > 0 ? 1 : 0) + (v.stringCount > 0 ? 1 : 0);
  if (kinds === 0) return 'null';
  if (kinds > 1) return 'mixed';
  if (v.booleanCount > 0) return 'bool';
  if (v.stringCount > 0) return 'utf8';
  return allInt32(v) ? 'int32' : 'float64';
}

/** The narrowest storage that holds what both hold. */
export function widen(a: ColumnStorage, b: ColumnStorage): ColumnStorage {
  if (a === b || b === 'null') return a;
  if (a === 'null') return b;
  if ((a === 'int32' && b === 'float64') || (a === 'float64' && b === 'int32')) return 'float64';
  return 'mixed';
}

/** True when every number of `v` is an integer in the int32 range (and not -0). */
export function allInt32(v: ColumnVector): boolean {
  const numbers = v.numbers;
  if (!numbers) return true;
  const tags = v.tags;
  for (let i = 0; i < v.length; i++) {
    if (tags[i] !== TAG_NUMBER) continue;
    const x = numbers[i] as number;
    if ((x | 0) !== x || (x === 0 && 1 / x < 0)) return false;
  }
  return true;
}
