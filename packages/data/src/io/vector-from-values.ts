import { type ColumnVector, TAG_FALSE, TAG_NUMBER, TAG_STRING, TAG_TRUE } from './column-vector.js';
import { toCell } from './to-cell.js';

type Values = ArrayLike<unknown> & { readonly length: number };

/**
 * The values `from`..`to` of a decoded column (a typed array or an array of JS values, as
 * hyparquet or JSON give them) as a vector, converting each value like `toCell` does.
 */
export function vectorFromValues(values: Values, from = 0, to = values.length): ColumnVector {
  const n = to - from;
  const tags = new Uint8Array(n);
  if (ArrayBuffer.isView(values) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array)) {
    const numbers = new Float64Array(n);
    const typed = values as ArrayLike<number>;
    for (let i = 0; i < n; i++) numbers[i] = typed[from + i] as number;
    tags.fill(TAG_NUMBER);
    return {
      length: n,
      tags,
      numbers,
      codes: null,
      dictionary: [],
      nulls: 0,
      numberCount: n,
      booleanCount: 0,
      stringCount: 0,
    };
  }
  let numbers: Float64Array | null = null;
  let codes: Int32Array | null = null;
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  let numberCount = 0;
  let booleanCount = 0;
  let stringCount = 0;
  for (let i = 0; i < n; i++) {
    const raw = values[from + i];
    const v =
      typeof raw === 'number' || typeof raw === 'string' ? raw : typeof raw === 'bigint' ? Number(raw) : toCell(raw);
    if (typeof v === 'number') {
      numbers ??= new Float64Array(n);
      numbers[i] = v;
      tags[i] = TAG_NUMBER;
      numberCount++;
    } else if (typeof v === 'string') {
      codes ??= new Int32Array(n);
      let k = index.get(v);
      if (k === undefined) {
        k = dictionary.push(v) - 1;
        index.set(v, k);
      }
      codes[i] = k;
      tags[i] = TAG_STRING;
      stringCount++;
    } else if (v !== null) {
      tags[i] = v ? TAG_TRUE : TAG_FALSE;
      booleanCount++;
    }
  }
  return {
    length: n,
    tags,
    numbers,
    codes,
    dictionary,
    nulls: n - numberCount - booleanCount - stringCount,
    numberCount,
    booleanCount,
    stringCount,
  };
}
