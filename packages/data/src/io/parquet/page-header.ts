/**
 * The fields of a Parquet page header (Thrift compact protocol) that reading a flat column needs;
 * every other field (statistics, CRC, index pages) is skipped.
 */
export interface PageHeader {
  /** 0 DATA_PAGE, 2 DICTIONARY_PAGE, 3 DATA_PAGE_V2 (1 INDEX_PAGE and others: skipped by the reader). */
  readonly type: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  /** Values in the page (nulls included; a dictionary page: its entries). */
  readonly numValues: number;
  /** The values' encoding (0 PLAIN, 2 PLAIN_DICTIONARY, 3 RLE, 8 RLE_DICTIONARY, …). */
  readonly encoding: number;
  /** DATA_PAGE: the definition levels' encoding (3 RLE, 4 BIT_PACKED). */
  readonly defEncoding: number;
  /** DATA_PAGE_V2: the byte lengths of the (uncompressed) level sections, and whether the values are compressed. */
  readonly defLength: number;
  readonly repLength: number;
  readonly valuesCompressed: boolean;
}

interface Cursor {
  readonly bytes: Uint8Array;
  offset: number;
}

const T_TRUE = 1;
const T_FALSE = 2;
const T_BYTE = 3;
const T_I16 = 4;
const T_I32 = 5;
const T_I64 = 6;
const T_DOUBLE = 7;
const T_BINARY = 8;
const T_LIST = 9;
const T_SET = 10;
const T_MAP = 11;
const T_STRUCT = 12;

function byteAt(c: Cursor): number {
  if (c.offset >= c.bytes.length) throw new Error('Parquet page header runs past the column chunk');
  return c.bytes[c.offset++] as number;
}

/** An unsigned LEB128 varint (up to 2^53; larger ones are only skipped, so precision does not matter). */
function varint(c: Cursor): number {
  let result = 0;
  let scale = 1;
  for (;;) {
    const b = byteAt(c);
    result += (b & 0x7f) * scale;
    if (!(b & 0x80)) return result;
    scale *= 128;
  }
}

function zigzag(c: Cursor): number {
  const z = varint(c);
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

function skip(c: Cursor, type: number): void {
  switch (type) {
    case T_TRUE:
    case T_FALSE:
      return;
    case T_BYTE:
      c.offset++;
      return;
    case T_I16:
    case T_I32:
    case T_I64:
      varint(c);
      return;
    case T_DOUBLE:
      c.offset += 8;
      return;
    case T_BINARY: {
      const length = varint(c);
      c.offset += length;
      return;
    }
    case T_LIST:
    case T_SET: {
      const head = byteAt(c);
      const size = head >> 4 === 15 ? varint(c) : head >> 4;
      const elem = head & 0x0f;
      for (let i = 0; i < size; i++) {
        if (elem === T_TRUE || elem === T_FALSE) c.offset++;
        else skip(c, elem);
      }
      return;
    }
    case T_MAP: {
      const size = varint(c);
      if (size === 0) return;
      const kinds = byteAt(c);
      for (let i = 0; i < size; i++) {
        skip(c, kinds >> 4);
        skip(c, kinds & 0x0f);
      }
      return;
    }
    case T_STRUCT:
      readStruct(c, () => false);
      return;
    default:
      throw new Error(`Parquet page header has an unknown Thrift type ${type}`);
  }
}

/**
 * Reads a struct's fields, handing each (id, type) to `field`, which consumes the value and
 * returns true, or returns false to have it skipped.
 */
function readStruct(c: Cursor, field: (id: number, type: number) => boolean): void {
  let id = 0;
  for (;;) {
    const head = byteAt(c);
    const type = head & 0x0f;
    if (type === 0) return;
    const delta = head >> 4;
    id = delta ? id + delta : zigzag(c);
    if (!field(id, type)) skip(c, type);
  }
}

/** Reads the page header at `offset` of `bytes`; returns it and the offset after it. */
export function readPageHeader(bytes: Uint8Array, offset: number): { header: PageHeader; end: number } {
  const c: Cursor = { bytes, offset };
  let type = -1;
  let uncompressedSize = 0;
  let compressedSize = 0;
  let numValues = 0;
  let encoding = 0;
  let defEncoding = 3;
  let defLength = 0;
  let repLength = 0;
  let valuesCompressed = true;
  const int = (t: number): number => {
    if (t !== T_I32 && t !== T_I16) throw new Error('Parquet page header has a field of an unexpected type');
    return zigzag(c);
  };
  readStruct(c, (id, t) => {
    if (id === 1) type = int(t);
    else if (id === 2) uncompressedSize = int(t);
    else if (id === 3) compressedSize = int(t);
    else if ((id === 5 || id === 7) && t === T_STRUCT) {
      // DataPageHeader / DictionaryPageHeader: 1 num_values, 2 encoding, 3 def-level encoding (data pages)
      readStruct(c, (f, ft) => {
        if (f === 1) numValues = int(ft);
        else if (f === 2) encoding = int(ft);
        else if (f === 3 && id === 5) defEncoding = int(ft);
        else return false;
        return true;
      });
    } else if (id === 8 && t === T_STRUCT) {
      // DataPageHeaderV2: 1 num_values, 4 encoding, 5/6 level lengths, 7 is_compressed
      readStruct(c, (f, ft) => {
        if (f === 1) numValues = int(ft);
        else if (f === 4) encoding = int(ft);
        else if (f === 5) defLength = int(ft);
        else if (f === 6) repLength = int(ft);
        else if (f === 7 && (ft === T_TRUE || ft === T_FALSE)) valuesCompressed = ft === T_TRUE;
        else return false;
        return true;
      });
    } else return false;
    return true;
  });
  if (type < 0 || compressedSize < 0 || uncompressedSize < 0 || numValues < 0)
    throw new Error('Parquet page header is incomplete');
  return {
    header: {
      type,
      uncompressedSize,
      compressedSize,
      numValues,
      encoding,
      defEncoding,
      defLength,
      repLength,
      valuesCompressed,
    },
    end: c.offset,
  };
}
