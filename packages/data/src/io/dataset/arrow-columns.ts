import {
  Bool,
  type Data,
  type DataType,
  Field,
  type Float,
  Float64,
  Int32,
  makeData,
  Null,
  Precision,
  RecordBatch,
  Schema,
  SparseUnion,
  Struct,
  Type,
  Utf8,
} from 'apache-arrow';
import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from '../column-batch.js';
import {
  type ColumnVector,
  countTags,
  nullVector,
  TAG_FALSE,
  TAG_NULL,
  TAG_NUMBER,
  TAG_STRING,
  TAG_TRUE,
} from '../column-vector.js';
import { ByteInterner } from '../csv/byte-interner.js';
import type { ColumnStorage } from './column-storage.js';

/** The type ids of a `mixed` column's sparse union: number, boolean, string. */
const UNION_NUMBER = 0;
const UNION_BOOL = 1;
const UNION_STRING = 2;

/** The Arrow type of a storage. */
export function arrowType(storage: ColumnStorage): DataType {
  switch (storage) {
    case 'null':
      return new Null();
    case 'int32':
      return new Int32();
    case 'float64':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'utf8':
      return new Utf8();
    case 'mixed':
      return new SparseUnion(
        [UNION_NUMBER, UNION_BOOL, UNION_STRING],
        [new Field('number', new Float64(), true), new Field('boolean', new Bool(), true), new Field('string', new Utf8(), true)],
      );
  }
}

/** The Arrow schema of a table whose columns are stored as `storage`. */
export function arrowSchema(names: readonly string[], storage: readonly ColumnStorage[]): Schema {
  return new Schema(names.map((n, i) => new Field(n, arrowType(storage[i] as ColumnStorage), true)));
}

/** A batch as an Arrow record batch of `schema` (columns the batch lacks are null). */
export function toRecordBatch(batch: ColumnBatch, schema: Schema, storage: readonly ColumnStorage[]): RecordBatch {
  const n = batch.length;
  const children = storage.map((s, i) => toArrowData(batch.columns[i] ?? nullVector(n), s));
  const data = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

/** A column vector as Arrow data of the given storage (which must hold every cell). */
export function toArrowData(v: ColumnVector, storage: ColumnStorage): Data {
  const n = v.length;
  switch (storage) {
    case 'null':
      return makeData({ type: new Null(), length: n });
    case 'int32': {
      const values = new Int32Array(n);
      const numbers = v.numbers;
      if (numbers) for (let i = 0; i < n; i++) values[i] = numbers[i] as number;
      return makeData({ type: new Int32(), length: n, nullCount: v.nulls, nullBitmap: validity(v, TAG_NUMBER, v.nulls), data: values });
    }
    case 'float64':
      return makeData({
        type: new Float64(),
        length: n,
        nullCount: v.nulls,
        nullBitmap: validity(v, TAG_NUMBER, v.nulls),
        data: v.numbers ?? new Float64Array(n),
      });
    case 'bool':
      return boolData(v);
    case 'utf8':
      return utf8Data(v);
    case 'mixed': {
      const typeIds = new Int8Array(n);
      for (let i = 0; i < n; i++) {
        const t = v.tags[i];
        typeIds[i] = t === TAG_STRING ? UNION_STRING : t === TAG_TRUE || t === TAG_FALSE ? UNION_BOOL : UNION_NUMBER;
      }
      const type = arrowType('mixed') as SparseUnion;
      const nullCount = n - v.numberCount;
      const children = [
        makeData({ type: new Float64(), length: n, nullCount, nullBitmap: validity(v, TAG_NUMBER, nullCount), data: v.numbers ?? new Float64Array(n) }),
        boolData(v),
        utf8Data(v),
      ];
      return makeData({ type, length: n, typeIds, children });
    }
  }
}

/**
 * Arrow validity bits: set where the tag is `tag` (or TAG_TRUE/TAG_FALSE for booleans). Empty
 * when every cell is valid (`nullCount` 0): the IPC writer then writes an empty bitmap anyway.
 */
function validity(v: ColumnVector, tag: number, nullCount: number): Uint8Array {
  if (nullCount === 0) return new Uint8Array(0);
  const n = v.length;
  const bits = new Uint8Array((n + 7) >> 3);
  const tags = v.tags;
  for (let i = 0; i < n; i++) {
    const t = tags[i] as number;
    if (t === tag || (tag === TAG_TRUE && t === TAG_FALSE)) (bits[i >> 3] as number) |= 1 << (i & 7);
  }
  return bits;
}

function boolData(v: ColumnVector): Data {
  const n = v.length;
  const values = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (v.tags[i] === TAG_TRUE) (values[i >> 3] as number) |= 1 << (i & 7);
  return makeData({ type: new Bool(), length: n, nullCount: n - v.booleanCount, nullBitmap: validity(v, TAG_TRUE, n - v.booleanCount), data: values });
}

function utf8Data(v: ColumnVector): Data {
  const n = v.length;
  const dictionary = v.dictionary;
  // each distinct string's UTF-8 bytes once, side by side in one buffer (code c at starts[c]…starts[c + 1])
  const starts = new Int32Array(dictionary.length + 1);
  let total = 0;
  for (let c = 0; c < dictionary.length; c++) {
    starts[c] = total;
    total += Buffer.byteLength(dictionary[c] as string, 'utf8');
  }
  starts[dictionary.length] = total;
  const pool = Buffer.allocUnsafe(total);
  for (let c = 0; c < dictionary.length; c++) pool.write(dictionary[c] as string, starts[c] as number, 'utf8');
  const offsets = new Int32Array(n + 1);
  let size = 0;
  const codes = v.codes as Int32Array;
  const tags = v.tags;
  for (let i = 0; i < n; i++) {
    if (tags[i] === TAG_STRING) {
      const c = codes[i] as number;
      size += (starts[c + 1] as number) - (starts[c] as number);
    }
    offsets[i + 1] = size;
  }
  const bytes = new Uint8Array(size);
  for (let i = 0; i < n; i++) {
    if (tags[i] !== TAG_STRING) continue;
    const c = codes[i] as number;
    let from = starts[c] as number;
    const end = starts[c + 1] as number;
    // a short string byte by byte: a set() a row costs more than its copy
    if (end - from > 32) bytes.set(pool.subarray(from, end), offsets[i] as number);
    else for (let to = offsets[i] as number; from < end; ) bytes[to++] = pool[from++] as number;
  }
  return makeData({ type: new Utf8(), length: n, nullCount: n - v.stringCount, nullBitmap: validity(v, TAG_STRING, n - v.stringCount), valueOffsets: offsets, data: bytes });
}

/** An Arrow record batch as a column batch (first row `firstRow`). */
export function fromRecordBatch(rb: RecordBatch, firstRow: number): ColumnBatch {
  const names = rb.schema.fields.map((f) => f.name);
  const columns = rb.data.children.map((d) => fromArrowData(d));
  return { names, columns, length: rb.numRows, firstRow };
}

/** Where `readArrowInto` writes: per-row tags, numbers and string codes from row `at` on. */
export interface VectorTarget {
  tags: Uint8Array;
  /** Allocated by `readArrowInto` on the first number (of the target's full length). */
  numbers: Float64Array | null;
  /** Allocated by `readArrowInto` on the first string (of the target's full length). */
  codes: Int32Array | null;
  /** The dictionary the codes index. */
  strings: ByteInterner;
}

/**
 * Arrow data as a column vector. Reads the types a dataset part holds (null, int32, float64, bool,
 * utf8 and the mixed sparse union), also other integer and float widths.
 * @throws MyelinError MYELIN_ERR_DATA_FORMAT for other Arrow types.
 */
export function fromArrowData(d: Data): ColumnVector {
  const n = d.length;
  if (d.typeId === Type.Float && (d.type as Float).precision === Precision.DOUBLE && d.nullCount === 0) {
    // the common case, zero-copy
    const values = d.values as Float64Array;
    return {
      length: n,
      tags: new Uint8Array(n).fill(TAG_NUMBER),
      numbers: values.subarray(d.offset, d.offset + n),
      codes: null,
      dictionary: [],
      nulls: 0,
      numberCount: n,
      booleanCount: 0,
      stringCount: 0,
    };
  }
  const target: VectorTarget = { tags: new Uint8Array(n), numbers: null, codes: null, strings: new ByteInterner() };
  readArrowInto(d, target, 0);
  const { tags, numbers, codes } = target;
  return { length: n, tags, numbers, codes, dictionary: target.strings.dictionary, ...countTags(tags, n) };
}

/**
 * Writes the cells of Arrow data into `target` from row `at` on (see `fromArrowData` for the types
 * read).
 */
export function readArrowInto(d: Data, target: VectorTarget, at: number): void {
  const n = d.length;
  const off = d.offset;
  const tags = target.tags;
  switch (d.typeId) {
    case Type.Null:
      tags.fill(TAG_NULL, at, at + n);
      return;
    case Type.Int:
    case Type.Float: {
      if (d.typeId === Type.Float && (d.type as Float).precision === Precision.HALF)
        throw new MyelinError('MYELIN_ERR_DATA_FORMAT', 'a dataset column of Arrow type Float16 cannot be read');
      const src = d.values as ArrayLike<number | bigint>;
      const numbers = (target.numbers ??= new Float64Array(tags.length));
      if (n > 0 && typeof src[off] === 'bigint') for (let i = 0; i < n; i++) numbers[at + i] = Number(src[off + i]);
      else if (src instanceof Float64Array) numbers.set(src.subarray(off, off + n), at);
      else for (let i = 0; i < n; i++) numbers[at + i] = src[off + i] as number;
      tags.fill(TAG_NUMBER, at, at + n);
      clearNulls(d, tags, at);
      return;
    }
    case Type.Bool: {
      const bits = d.values as Uint8Array;
      for (let i = 0; i < n; i++) tags[at + i] = ((bits[(off + i) >> 3] as number) >> ((off + i) & 7)) & 1 ? TAG_TRUE : TAG_FALSE;
      clearNulls(d, tags, at);
      return;
    }
    case Type.Utf8: {
      const codes = (target.codes ??= new Int32Array(tags.length));
      const offsets = d.valueOffsets as Int32Array;
      const bytes = d.values as Uint8Array;
      const strings = target.strings;
      for (let i = 0; i < n; i++) codes[at + i] = strings.intern(bytes, offsets[off + i] as number, offsets[off + i + 1] as number);
      tags.fill(TAG_STRING, at, at + n);
      clearNulls(d, tags, at);
      return;
    }
    case Type.Union: {
      // each child into its own target, then the tag of the child each row picks
      const children = (d.children as Data[]).map((c) => {
        const t: VectorTarget = { tags: new Uint8Array(n), numbers: null, codes: null, strings: target.strings };
        readArrowInto(c, t, 0);
        return t;
      });
      const typeIds = d.typeIds as Int8Array;
      const [num, , str] = children as [VectorTarget, VectorTarget, VectorTarget];
      for (let i = 0; i < n; i++) {
        const id = typeIds[off + i] as number;
        const child = children[id === UNION_STRING ? 2 : id === UNION_BOOL ? 1 : 0] as VectorTarget;
        const tag = child.tags[i] as number;
        tags[at + i] = tag;
        if (tag === TAG_NUMBER) (target.numbers ??= new Float64Array(tags.length))[at + i] = (num.numbers as Float64Array)[i] as number;
        else if (tag === TAG_STRING) (target.codes ??= new Int32Array(tags.length))[at + i] = (str.codes as Int32Array)[i] as number;
      }
      return;
    }
    default:
      throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `a dataset column of Arrow type ${String(d.type)} cannot be read`);
  }
}

/** Sets TAG_NULL on the rows the validity bitmap marks invalid. */
function clearNulls(d: Data, tags: Uint8Array, at: number): void {
  const bitmap = d.nullBitmap;
  if (d.nullCount === 0 || !bitmap || bitmap.length === 0) return;
  const off = d.offset;
  for (let i = 0; i < d.length; i++) if ((((bitmap[(off + i) >> 3] as number) >> ((off + i) & 7)) & 1) === 0) tags[at + i] = TAG_NULL;
}
