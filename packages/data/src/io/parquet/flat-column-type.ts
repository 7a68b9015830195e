import type { SchemaElement } from 'hyparquet';
import { isoFromDays, isoFromMillis } from '../iso-from-millis.js';

/**
 * How the values of a flat Parquet column become cells, exactly as hyparquet's conversions plus
 * Myelin's parsers make them (see read-parquet.ts): numbers, or strings (text, ISO timestamps
 * and dates). `undefined` for the types the flat reader leaves to hyparquet.
 */
export type FlatColumnType =
  | { readonly physical: 'INT32' | 'INT64' | 'FLOAT' | 'DOUBLE'; readonly cell: 'number' }
  | { readonly physical: 'INT32'; readonly cell: 'date' }
  | { readonly physical: 'INT64'; readonly cell: 'millis' | 'micros' | 'nanos' }
  | { readonly physical: 'BYTE_ARRAY'; readonly cell: 'text' };

const PLAIN_INTS = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'INT_64']);

/** The flat reader's view of a column's schema element, or undefined to use hyparquet. */
export function flatColumnType(element: SchemaElement): FlatColumnType | undefined {
  const { type, converted_type: ctype, logical_type: ltype } = element;
  if (element.repetition_type === 'REPEATED' || element.num_children) return undefined;
  if (type === 'INT32') {
    if (ctype === 'DATE') return { physical: 'INT32', cell: 'date' };
    if (PLAIN_INTS.has(ctype) && (ltype === undefined || (ltype.type === 'INTEGER' && ltype.isSigned)))
      return { physical: 'INT32', cell: 'number' };
    return undefined;
  }
  if (type === 'INT64') {
    if (ctype === 'TIMESTAMP_MILLIS') return { physical: 'INT64', cell: 'millis' };
    if (ctype === 'TIMESTAMP_MICROS') return { physical: 'INT64', cell: 'micros' };
    if (ctype === undefined && ltype?.type === 'TIMESTAMP')
      return {
        physical: 'INT64',
        cell: ltype.unit === 'MICROS' ? 'micros' : ltype.unit === 'NANOS' ? 'nanos' : 'millis',
      };
    if (PLAIN_INTS.has(ctype) && (ltype === undefined || (ltype.type === 'INTEGER' && ltype.isSigned)))
      return { physical: 'INT64', cell: 'number' };
    return undefined;
  }
  if (type === 'FLOAT' || type === 'DOUBLE')
    return ctype === undefined && ltype === undefined ? { physical: type, cell: 'number' } : undefined;
  if (type === 'BYTE_ARRAY') {
    const textual = ctype === undefined || ctype === 'UTF8' || ctype === 'ENUM';
    const logical = ltype === undefined || ltype.type === 'STRING' || ltype.type === 'ENUM';
    return textual && logical ? { physical: 'BYTE_ARRAY', cell: 'text' } : undefined;
  }
  return undefined;
}

const decoder = new TextDecoder();

/** The string cell of an INT64 timestamp or INT32 date, as the readers' parsers format it. */
function timeCell(type: FlatColumnType, view: DataView, at: number): string {
  if (type.cell === 'date') return isoFromDays(view.getInt32(at, true));
  const hi = view.getInt32(at + 4, true);
  // |value| < 2^53: exact as a double, so no BigInt is needed (the same milliseconds as below)
  if (hi >= -0x200000 && hi < 0x200000) {
    const v = hi * 4294967296 + view.getUint32(at, true);
    if (type.cell === 'millis') return isoFromMillis(v);
    return isoFromMillis(truncatedQuotient(v, type.cell === 'micros' ? 1000 : 1_000_000));
  }
  switch (type.cell) {
    case 'millis':
      return isoFromMillis(Number(view.getBigInt64(at, true)));
    case 'micros':
      return isoFromMillis(Number(view.getBigInt64(at, true) / 1000n));
    default:
      return isoFromMillis(Number(view.getBigInt64(at, true) / 1_000_000n));
  }
}

/** `v / d` rounded toward zero, as BigInt division gives it, for an integer `|v| < 2^53`. */
function truncatedQuotient(v: number, d: number): number {
  let q = Math.trunc(v / d);
  // the division rounded: one off at most, which the remainder's sign shows
  const r = v - q * d;
  if (v >= 0 ? r < 0 : r > 0) q += v >= 0 ? -1 : 1;
  else if (v >= 0 ? r >= d : r <= -d) q += v >= 0 ? 1 : -1;
  return q === 0 ? 0 : q;
}

/**
 * Decodes `count` PLAIN values from `bytes[offset..end)`: into `numbers` (number cells) or, for
 * string cells, into `strings` (each value as its index in `table`, which dedups by `index`).
 * @throws Error when the values run past `end`.
 */
export function decodePlain(
  type: FlatColumnType,
  bytes: Uint8Array,
  offset: number,
  end: number,
  count: number,
  numbers: Float64Array | null,
  strings: Int32Array | null,
  table: string[],
  index: Map<string, number>,
): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const intern = (s: string): number => {
    let k = index.get(s);
    if (k === undefined) {
      k = table.push(s) - 1;
      index.set(s, k);
    }
    return k;
  };
  const size =
    type.physical === 'INT64' || type.physical === 'DOUBLE' ? 8 : type.physical === 'BYTE_ARRAY' ? 0 : 4;
  if (size > 0 && offset + count * size > end)
    throw new Error(`Parquet page holds fewer than its ${count} ${type.physical} values`);
  if (type.cell === 'number') {
    const out = numbers as Float64Array;
    if (type.physical === 'INT32')
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, true);
    else if (type.physical === 'FLOAT')
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, true);
    else if (type.physical === 'DOUBLE')
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, true);
    else
      for (let i = 0; i < count; i++) {
        // exact hi·2^32 plus lo, rounded once: the same double as Number(bigint)
        out[i] = view.getInt32(offset + 8 * i + 4, true) * 4294967296 + view.getUint32(offset + 8 * i, true);
      }
    return;
  }
  const out = strings as Int32Array;
  if (type.cell !== 'text') {
    for (let i = 0; i < count; i++) out[i] = intern(timeCell(type, view, offset + size * i));
    return;
  }
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 4 > end) throw new Error(`Parquet page holds fewer than its ${count} BYTE_ARRAY values`);
    const len = view.getUint32(at, true);
    at += 4;
    if (at + len > end) throw new Error(`Parquet page holds fewer than its ${count} BYTE_ARRAY values`);
    out[i] = intern(decoder.decode(bytes.subarray(at, at + len)));
    at += len;
  }
}
