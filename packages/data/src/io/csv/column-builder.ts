import type { Cell } from '../../types.js';
import {
  type ColumnVector,
  TAG_FALSE,
  TAG_NULL,
  TAG_NUMBER,
  TAG_STRING,
  TAG_TRUE,
} from '../column-vector.js';
import { parseCsvCell } from '../parse-csv-cell.js';
import { ByteInterner } from './byte-interner.js';
import { maybeNumeric, parseDecimalBytes } from './parse-decimal-bytes.js';

/**
 * Collects one CSV column of one batch: converts each field's bytes to a cell exactly as
 * `parseCsvCell` converts its text (blank → null, numbers, `true`/`false`, `NaN`/`Infinity`, other
 * text), but without a string per field: plain decimals are parsed from the bytes, repeated text
 * is interned by its bytes, and only what the fast paths cannot settle goes through
 * `parseCsvCell` itself.
 */
export class ColumnBuilder {
  private tags = new Uint8Array(0);
  private numbers: Float64Array | null = null;
  private codes: Int32Array | null = null;
  private readonly strings = new ByteInterner();
  private numberCount = 0;
  private booleanCount = 0;
  private stringCount = 0;

  constructor(private readonly capacity: number) {
    this.startOver();
  }

  /** Sets row `row` from the field bytes `buf[start..end)` (quotes already removed, no `""` inside). */
  set(row: number, buf: Uint8Array, start: number, end: number): void {
    if (start === end) {
      this.tags[row] = TAG_NULL;
      return;
    }
    const c = buf[start] as number;
    if (c <= 32 || (buf[end - 1] as number) <= 32)
      return this.setCell(row, parseCsvCell(latin1OrUtf8(buf, start, end)));
    if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
      const x = parseDecimalBytes(buf, start, end);
      if (x === x) return this.setNumber(row, x); // not NaN
      if (maybeNumeric(buf, start, end))
        return this.setCell(row, parseCsvCell(latin1OrUtf8(buf, start, end)));
      return this.setString(row, this.strings.intern(buf, start, end));
    }
    const word = wordCell(buf, start, end);
    if (word !== undefined) return this.setCell(row, word);
    this.setString(row, this.strings.intern(buf, start, end));
  }

  /** Sets row `row` to a number the caller parsed from the field's bytes as `set` would have. */
  setParsedNumber(row: number, x: number): void {
    this.setNumber(row, x);
  }

  /** Sets row `row` from decoded field text (a quoted field with `""` escapes). */
  setText(row: number, text: string): void {
    this.setCell(row, parseCsvCell(text));
  }

  /** Row `row` as null (a field the record lacks never happens: ragged rows are errors). */
  setNull(row: number): void {
    this.tags[row] = TAG_NULL;
  }

  /** The first `length` rows as a vector; the builder starts over (with fresh buffers). */
  finish(length: number): ColumnVector {
    const tags = this.tags.subarray(0, length);
    const nulls = length - this.numberCount - this.booleanCount - this.stringCount;
    const v: ColumnVector = {
      length,
      tags,
      numbers: this.numbers ? this.numbers.subarray(0, length) : null,
      codes: this.codes ? this.codes.subarray(0, length) : null,
      dictionary: this.strings.dictionary,
      nulls,
      numberCount: this.numberCount,
      booleanCount: this.booleanCount,
      stringCount: this.stringCount,
    };
    this.strings.reset();
    this.startOver();
    return v;
  }

  /**
   * Fresh buffers, no rows. Run by the constructor too, after the field initialisers: each field
   * is then stored twice before any code is optimised. V8 treats a field stored once as a
   * constant, and the first batch's `finish` storing it again dropped the optimised scanner code
   * that relied on that (a "code dependencies" deopt of `set`, `intern`, `lookup`) mid-file.
   */
  private startOver(): void {
    this.tags = new Uint8Array(this.capacity);
    this.numbers = null;
    this.codes = null;
    this.numberCount = 0;
    this.booleanCount = 0;
    this.stringCount = 0;
  }

  /** Forgets row `row` (a record cut by the end of a chunk, scanned again with the next chunk). */
  unset(row: number): void {
    const t = this.tags[row];
    if (t === TAG_NUMBER) this.numberCount--;
    else if (t === TAG_STRING) this.stringCount--;
    else if (t === TAG_TRUE || t === TAG_FALSE) this.booleanCount--;
    this.tags[row] = TAG_NULL;
  }

  private setNumber(row: number, x: number): void {
    this.numbers ??= new Float64Array(this.capacity);
    this.numbers[row] = x;
    this.tags[row] = TAG_NUMBER;
    this.numberCount++;
  }

  private setString(row: number, code: number): void {
    this.codes ??= new Int32Array(this.capacity);
    this.codes[row] = code;
    this.tags[row] = TAG_STRING;
    this.stringCount++;
  }

  private setCell(row: number, cell: Cell): void {
    if (typeof cell === 'number') this.setNumber(row, cell);
    else if (typeof cell === 'string') this.setString(row, this.strings.internString(cell));
    else if (cell === null) this.tags[row] = TAG_NULL;
    else {
      this.tags[row] = cell ? TAG_TRUE : TAG_FALSE;
      this.booleanCount++;
    }
  }
}

/**
 * The words `parseCsvCell` reads as a boolean or a number (`true`, `True`, `TRUE`, `false`,
 * `False`, `FALSE`, `NaN`, `Infinity`), by length: compared by their bytes, so that other short
 * text (an airport column's `IND` or `TPA`) makes no string.
 */
const WORDS: readonly (readonly [string, boolean | number])[] = [
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['NaN', NaN],
  ['Infinity', Infinity],
];
const WORD_BYTES: Uint8Array[][] = Array.from({ length: 9 }, () => []);
const WORD_CELLS: (boolean | number)[][] = Array.from({ length: 9 }, () => []);
for (const [w, cell] of WORDS) {
  (WORD_BYTES[w.length] as Uint8Array[]).push(Buffer.from(w, 'latin1'));
  (WORD_CELLS[w.length] as (boolean | number)[]).push(cell);
}

/** The cell of the bytes `buf[start..end)` when they spell one of `WORDS`, else undefined. */
function wordCell(buf: Uint8Array, start: number, end: number): boolean | number | undefined {
  const len = end - start;
  if (len > 8) return undefined;
  const words = WORD_BYTES[len] as Uint8Array[];
  for (let w = 0; w < words.length; w++) {
    const bytes = words[w] as Uint8Array;
    let i = 0;
    while (i < len && bytes[i] === buf[start + i]) i++;
    if (i === len) return (WORD_CELLS[len] as (boolean | number)[])[w];
  }
  return undefined;
}

function latin1OrUtf8(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}
