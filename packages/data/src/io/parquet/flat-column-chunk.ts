import type { CompressionCodec, Compressors } from 'hyparquet';
import { decompressPage } from './decompress-page.js';
import { decodePlain, type FlatColumnType } from './flat-column-type.js';
import { readPageHeader } from './page-header.js';
import { decodeRleHybrid } from './rle-hybrid.js';

/**
 * One flat column of one row group, decoded into typed arrays: a row is null (`nulls[row]` is 1),
 * a number (`numbers[row]`) or a string (`table[refs[row]]`, `table` without duplicates).
 */
export interface FlatColumn {
  readonly length: number;
  readonly nulls: Uint8Array | null;
  readonly numbers: Float64Array | null;
  readonly refs: Int32Array | null;
  readonly table: readonly string[];
}

const PAGE_DATA = 0;
const PAGE_DICTIONARY = 2;
const PAGE_DATA_V2 = 3;
const ENC_PLAIN = 0;
const ENC_PLAIN_DICTIONARY = 2;
const ENC_RLE = 3;
const ENC_RLE_DICTIONARY = 8;

/** Why the flat reader hands a column chunk back to hyparquet (an encoding it does not decode). */
export const UNSUPPORTED = Symbol('unsupported');

/**
 * Decodes a flat column's chunk (`bytes`: its pages, dictionary first) of `rows` rows, with an
 * optional (`nullable`) or required value per row, PLAIN or dictionary encoded, with no
 * per-value objects. Returns UNSUPPORTED for other encodings (the caller falls back to hyparquet).
 * @throws Error when the pages are corrupt or hold another number of rows.
 */
export function readFlatColumnChunk(
  bytes: Uint8Array,
  rows: number,
  type: FlatColumnType,
  nullable: boolean,
  codec: CompressionCodec,
  compressors: Compressors,
): FlatColumn | typeof UNSUPPORTED {
  const isNumber = type.cell === 'number';
  const nulls = nullable ? new Uint8Array(rows) : null;
  const numbers = isNumber ? new Float64Array(rows) : null;
  const refs = isNumber ? null : new Int32Array(rows);
  const table: string[] = [];
  const index = new Map<string, number>();
  let dictNumbers: Float64Array | null = null;
  let dictRefs: Int32Array | null = null;
  let dictSize = -1;
  let row = 0;
  let offset = 0;
  let defs = new Int32Array(0);
  let ids = new Int32Array(0);
  let pageNumbers = new Float64Array(0);
  while (row < rows && offset < bytes.length) {
    const { header, end } = readPageHeader(bytes, offset);
    const raw = bytes.subarray(end, end + header.compressedSize);
    if (raw.length !== header.compressedSize) throw new Error('Parquet page runs past its column chunk');
    offset = end + header.compressedSize;
    if (header.type === PAGE_DICTIONARY) {
      if (header.encoding !== ENC_PLAIN && header.encoding !== ENC_PLAIN_DICTIONARY) return UNSUPPORTED;
      const page = decompressPage(raw, header.uncompressedSize, codec, compressors);
      dictSize = header.numValues;
      dictNumbers = isNumber ? new Float64Array(dictSize) : null;
      dictRefs = isNumber ? null : new Int32Array(dictSize);
      decodePlain(type, page, 0, page.length, dictSize, dictNumbers, dictRefs, table, index);
      continue;
    }
    if (header.type !== PAGE_DATA && header.type !== PAGE_DATA_V2) continue;
    const n = header.numValues;
    if (row + n > rows) throw new Error(`Parquet column chunk holds more than its ${rows} rows`);
    let page: Uint8Array;
    let pos = 0;
    if (defs.length < n) defs = new Int32Array(n);
    if (header.type === PAGE_DATA) {
      page = decompressPage(raw, header.uncompressedSize, codec, compressors);
      if (nullable) {
        if (header.defEncoding !== ENC_RLE) return UNSUPPORTED;
        if (page.length < 4) throw new Error('Parquet data page ends before its definition levels');
        const len =
          (page[0] as number) |
          ((page[1] as number) << 8) |
          ((page[2] as number) << 16) |
          ((page[3] as number) << 24);
        if (len < 0 || 4 + len > page.length)
          throw new Error('Parquet definition levels run past their page');
        decodeRleHybrid(page, 4, 4 + len, 1, n, defs);
        pos = 4 + len;
      }
    } else {
      if (header.repLength !== 0) return UNSUPPORTED;
      const levels = header.defLength;
      if (levels > raw.length) throw new Error('Parquet definition levels run past their page');
      if (nullable) decodeRleHybrid(raw, 0, levels, 1, n, defs);
      const values = raw.subarray(levels);
      page =
        header.valuesCompressed && codec !== 'UNCOMPRESSED'
          ? decompressPage(values, header.uncompressedSize - levels, codec, compressors)
          : values;
    }
    const present = nullable ? definedIn(defs, n) : n;
    // the page's values, in order: as dictionary indices, or decoded in place
    if (ids.length < present) ids = new Int32Array(present);
    if (header.encoding === ENC_RLE_DICTIONARY || header.encoding === ENC_PLAIN_DICTIONARY) {
      if (dictSize < 0) throw new Error('Parquet dictionary-encoded page comes without a dictionary');
      if (present > 0) {
        if (pos >= page.length) throw new Error('Parquet dictionary indices are missing');
        decodeRleHybrid(page, pos + 1, page.length, page[pos] as number, present, ids);
        const bad = outOfRange(ids, present, dictSize);
        if (bad >= 0) throw new Error(`Parquet dictionary index ${ids[bad]} is out of range (${dictSize} entries)`);
      }
      if (numbers) place(n, nulls, defs, row, numbers, dictNumbers as Float64Array, ids);
      else place(n, nulls, defs, row, refs as Int32Array, dictRefs as Int32Array, ids);
    } else if (header.encoding === ENC_PLAIN) {
      if (isNumber && pageNumbers.length < present) pageNumbers = new Float64Array(present);
      decodePlain(
        type,
        page,
        pos,
        page.length,
        present,
        isNumber ? pageNumbers : null,
        isNumber ? null : ids,
        table,
        index,
      );
      if (numbers) place(n, nulls, defs, row, numbers, pageNumbers, null);
      else place(n, nulls, defs, row, refs as Int32Array, ids, null);
    } else return UNSUPPORTED;
    row += n;
  }
  if (row !== rows) throw new Error(`Parquet column chunk holds ${row} of its ${rows} rows`);
  return { length: rows, nulls, numbers, refs, table };
}

// The loops over a page's values are functions of their own that return right after the loop:
// V8 compiles a hot loop on the stack (OSR) on the first call, and code after it that had not
// run yet would make that compiled loop bail out again (and the whole reader be recompiled).

/** How many of the first `n` definition levels are 1 (a value, not a null). */
function definedIn(defs: Int32Array, n: number): number {
  let present = 0;
  for (let i = 0; i < n; i++) present += defs[i] === 1 ? 1 : 0;
  return present;
}

/** The first k < `count` with `ids[k]` outside `[0, size)`, or -1. */
function outOfRange(ids: Int32Array, count: number, size: number): number {
  for (let k = 0; k < count; k++) {
    const id = ids[k] as number;
    if (id < 0 || id >= size) return k;
  }
  return -1;
}

/**
 * Puts a page's `n` rows from `row` on: the k-th present value is `values[ids[k]]` (or
 * `values[k]` without `ids`); a row whose definition level is 0 is marked in `nulls`.
 */
function place<T extends Float64Array | Int32Array>(
  n: number,
  nulls: Uint8Array | null,
  defs: Int32Array,
  row: number,
  out: T,
  values: T,
  ids: Int32Array | null,
): void {
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (nulls && defs[i] !== 1) {
      nulls[row + i] = 1;
      continue;
    }
    out[row + i] = (ids ? values[ids[k] as number] : values[k]) as number;
    k++;
  }
}
