import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from '../column-batch.js';
import { ColumnBuilder } from './column-builder.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
/** The number `plainDecimalEnd` parsed last (a typed slot: a module `let` would box every double). */
const PARSED = new Float64Array(1);

/**
 * Parses an unquoted field at `pos` that is a plain decimal — an optional `-`, digits, an optional
 * `.` and digits, at most 15 significant digits and 22 decimals — followed by the delimiter or a
 * line break (within `buf`). Returns where the field ends, with the number in `PARSED[0]`: exactly
 * what `ColumnBuilder.set` gives for those bytes (`parseDecimalBytes`' arithmetic). Returns -1
 * for any other field.
 */
function plainDecimalEnd(buf: Uint8Array, pos: number, len: number, delim: number): number {
  let p = pos;
  // `p < len` first: a field cut by the end of the chunk starts at `len`, and reading past the end
  // of the buffer made V8 drop this function's optimised code (an out-of-bounds deopt) on the first chunk
  const neg = p < len && buf[p] === 45;
  if (neg) p++;
  let m = 0;
  let digits = 0;
  let seen = false;
  let d = 0;
  while (p < len && (d = (buf[p] as number) - 48) >= 0 && d <= 9) {
    seen = true;
    if (m !== 0 || d !== 0) {
      if (++digits > 15) return -1;
      m = m * 10 + d;
    }
    p++;
  }
  let exp = 0;
  if (p < len && buf[p] === 46) {
    p++;
    while (p < len && (d = (buf[p] as number) - 48) >= 0 && d <= 9) {
      seen = true;
      if (m !== 0 || d !== 0) {
        if (++digits > 15) return -1;
        m = m * 10 + d;
      }
      exp--;
      p++;
    }
  }
  if (!seen || p >= len || exp < -22) return -1;
  const c = buf[p] as number;
  if (c !== delim && c !== LF && c !== CR) return -1;
  const v = m === 0 ? 0 : exp === 0 ? m : m / (POW10[-exp] as number);
  PARSED[0] = neg ? -v : v;
  return p;
}

/** Cells per batch: rows per batch are this divided by the column count (64 to 65,536 rows). */
export const BATCH_CELLS = 1 << 20;

/**
 * Where a scan can be taken up by another scanner: the byte offset in the file of the record after
 * the header or after the last batch emitted, its line number and data row number, and the header.
 * A scanner resumed there (`new CsvScanner(display, delimiter, point)`, fed the file from
 * `offset`) emits the same batches the first one would have.
 */
export interface CsvResumePoint {
  readonly offset: number;
  readonly line: number;
  readonly firstRow: number;
  readonly names: readonly string[];
}

/**
 * An RFC 4180 CSV scanner over Buffers that yields column batches: fields separated by the
 * delimiter, records by CRLF, LF or CR; a field may be quoted with `"`, a quote inside a quoted
 * field written `""`, and quoted fields may hold delimiters and line breaks. A UTF-8 byte order
 * mark is skipped, empty lines are skipped, the first record is the header (a blank name becomes
 * `column<i>`). Cells are converted as `parseCsvCell` does.
 *
 * Strict where the RFC is: a quote inside an unquoted field, text after a closing quote, a quote
 * left open at the end, a record with another number of fields than the header, and a name twice
 * in the header are MYELIN_ERR_DATA_FORMAT errors naming the file and line.
 *
 * @example
 * const s = new CsvScanner('data.csv', 0x2c);
 * const out: ColumnBatch[] = [];
 * for await (const chunk of createReadStream(path)) s.push(chunk, out);
 * s.end(out);
 */
export class CsvScanner {
  /** The header's column names, once read. */
  names: string[] | undefined;
  /** Data rows emitted so far. */
  rows = 0;
  private builders: ColumnBuilder[] = [];
  private batchRows = 0;
  private row = 0;
  private firstRow = 1;
  /** Line number (1-based) where the next record starts. */
  private line = 1;
  private carry: Buffer | null = null;
  /** The buffer `joined` reuses. */
  private join: Buffer = Buffer.alloc(0);
  private started = false;
  private readonly special = new Uint8Array(256);
  /** File offset of the bytes pushed so far, and of `buf[0]` in the current `scan`. */
  private fed = 0;
  private base = 0;
  /** Where the record after the header or the last batch emitted starts. */
  private resume: CsvResumePoint | undefined;

  /** A scanner of a whole file, or (`from`) of the file from a resume point of another scanner on. */
  constructor(
    private readonly display: string,
    private readonly delimiter: number,
    from?: CsvResumePoint,
  ) {
    if (delimiter === QUOTE || delimiter === LF || delimiter === CR || delimiter > 127) {
      throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `unsupported CSV delimiter code ${delimiter}`, {
        file: display,
      });
    }
    if (from) {
      this.started = true;
      this.fed = from.offset;
      this.line = from.line;
      this.firstRow = from.firstRow;
      this.rows = from.firstRow - 1;
      this.setHeader([...from.names], from.line);
      this.resume = from;
    }
    this.special[delimiter] = 1;
    this.special[LF] = 1;
    this.special[CR] = 1;
    this.special[QUOTE] = 1;
  }

  /** Where another scanner could take over (see `CsvResumePoint`); undefined before the header is read. */
  resumePoint(): CsvResumePoint | undefined {
    return this.resume;
  }

  /** Scans a chunk of the file; complete batches are appended to `out`. */
  push(chunk: Buffer, out: ColumnBatch[]): void {
    let buf = chunk;
    this.base = this.fed;
    this.fed += chunk.length;
    if (this.carry) {
      this.base -= this.carry.length;
      buf = this.joined(this.carry, chunk);
      this.carry = null;
    }
    if (!this.started) {
      if (buf.length < 3 && buf.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) {
        this.carry = Buffer.from(buf); // maybe the start of a byte order mark
        return;
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        this.base += 3;
      }
    }
    const rest = this.scan(buf, false, out);
    if (rest < buf.length) this.carry = Buffer.from(buf.subarray(rest));
  }

  /**
   * `carry` then `chunk` in one buffer, reused from push to push: a fresh 1 MiB concatenation per
   * chunk cost more in page faults than the scan of its bytes. Nothing keeps a view of it (cells
   * are decoded or copied out, the carry is copied).
   */
  private joined(carry: Buffer, chunk: Buffer): Buffer {
    const n = carry.length + chunk.length;
    if (this.join.length < n) this.join = Buffer.allocUnsafeSlow(Math.max(n, 2 * this.join.length));
    carry.copy(this.join, 0);
    chunk.copy(this.join, carry.length);
    return this.join.subarray(0, n);
  }

  /** Ends the file: scans what is left and appends the last batch to `out`. */
  end(out: ColumnBatch[]): void {
    if (this.carry) {
      const buf = this.carry;
      this.base = this.fed - buf.length;
      this.carry = null;
      this.started = true;
      this.scan(buf, true, out);
    }
    if (this.row > 0) out.push(this.flush());
  }

  /** Scans complete records of `buf`; returns where the first incomplete one starts. */
  private scan(buf: Buffer, final: boolean, out: ColumnBatch[]): number {
    const len = buf.length;
    const special = this.special;
    const delim = this.delimiter;
    let pos = 0;
    while (pos < len) {
      const recStart = pos;
      const recLine = this.line;
      let lines = 0; // line breaks inside quoted fields of this record
      // an empty line
      let b = buf[pos] as number;
      if (b === LF) {
        pos++;
        this.line++;
        continue;
      }
      if (b === CR) {
        if (pos + 1 >= len && !final) return recStart;
        pos += buf[pos + 1] === LF ? 2 : 1;
        this.line++;
        continue;
      }
      const header = this.names === undefined;
      const headerFields: string[] | null = header ? [] : null;
      const ncols = header ? Infinity : this.builders.length;
      let f = 0;
      let complete = false;
      for (;;) {
        // one field starting at pos
        let start = pos;
        let end: number;
        let text: string | undefined;
        if (pos < len && buf[pos] === QUOTE) {
          let q = pos + 1;
          let escaped = false;
          for (;;) {
            q = buf.indexOf(QUOTE, q);
            if (q < 0 || (q + 1 >= len && !final)) {
              if (!final) return this.cut(recStart, f);
              throw this.error(
                recLine,
                'malformed CSV: a quoted field is not closed before the end of the file',
              );
            }
            if (buf[q + 1] === QUOTE) {
              escaped = true;
              q += 2;
              continue;
            }
            break;
          }
          start = pos + 1;
          end = q;
          for (let i = start; i < end; i++) {
            const c = buf[i];
            if (c === LF || (c === CR && buf[i + 1] !== LF)) lines++;
          }
          if (escaped) text = buf.toString('utf8', start, end).replaceAll('""', '"');
          pos = q + 1;
          if (pos < len) {
            const c = buf[pos] as number;
            if (c !== delim && c !== LF && c !== CR)
              throw this.error(
                recLine + lines,
                `malformed CSV: text after the closing quote of field ${f + 1}`,
              );
          }
        } else {
          // a plain decimal is parsed as it is scanned (the bytes read once); any other field is
          // scanned to its end and converted by its builder
          const at = headerFields || f >= ncols ? -1 : plainDecimalEnd(buf, pos, len, delim);
          if (at >= 0) {
            (this.builders[f] as ColumnBuilder).setParsedNumber(this.row, PARSED[0] as number);
            pos = at;
            end = -1;
          } else {
            while (pos < len && special[buf[pos] as number] === 0) pos++;
            if (pos < len && buf[pos] === QUOTE)
              throw this.error(recLine, `malformed CSV: a quote inside the unquoted field ${f + 1}`);
            end = pos;
          }
        }
        if (pos >= len && !final) return this.cut(recStart, f);
        // store the field
        if (headerFields) headerFields.push(text ?? buf.toString('utf8', start, end));
        else if (f < ncols && end >= 0) {
          const builder = this.builders[f] as ColumnBuilder;
          if (text !== undefined) builder.setText(this.row, text);
          else builder.set(this.row, buf, start, end);
        }
        f++;
        if (pos >= len) {
          complete = true;
          break;
        }
        b = buf[pos] as number;
        if (b === delim) {
          pos++;
          if (pos >= len && final) {
            // a trailing delimiter at the end of the file: one more, empty field
            if (headerFields) headerFields.push('');
            else if (f < ncols) (this.builders[f] as ColumnBuilder).setNull(this.row);
            f++;
            complete = true;
            break;
          }
          continue;
        }
        // a line break ends the record
        if (b === CR) {
          if (pos + 1 >= len && !final) return this.cut(recStart, f);
          pos += buf[pos + 1] === LF ? 2 : 1;
        } else pos++;
        complete = true;
        break;
      }
      if (!complete) return recStart;
      this.line += lines + 1;
      if (headerFields) {
        this.setHeader(headerFields, recLine);
        this.resume = this.pointAt(pos);
        continue;
      }
      if (f !== ncols) {
        throw this.error(recLine, `ragged row: it has ${f} fields, the header has ${ncols}`);
      }
      this.row++;
      this.rows++;
      if (this.row === this.batchRows) {
        out.push(this.flush());
        this.resume = this.pointAt(pos);
      }
    }
    return pos;
  }

  /** The resume point at `pos` of the buffer being scanned (a record starts there). */
  private pointAt(pos: number): CsvResumePoint {
    return {
      offset: this.base + pos,
      line: this.line,
      firstRow: this.firstRow,
      names: this.names as string[],
    };
  }

  /** A record cut by the end of the chunk: forget its fields, keep its bytes for the next chunk. */
  private cut(recStart: number, fields: number): number {
    if (this.names !== undefined) {
      const n = Math.min(fields, this.builders.length);
      for (let i = 0; i < n; i++) (this.builders[i] as ColumnBuilder).unset(this.row);
    }
    return recStart;
  }

  private setHeader(fields: string[], line: number): void {
    const names = fields.map((n, i) => (n.trim() === '' ? `column${i + 1}` : n));
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n))
        throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `column "${n}" appears twice in the header`, {
          file: this.display,
          line,
        });
      seen.add(n);
    }
    this.names = names;
    this.batchRows = Math.max(64, Math.min(65_536, Math.floor(BATCH_CELLS / names.length)));
    this.builders = names.map(() => new ColumnBuilder(this.batchRows));
  }

  private flush(): ColumnBatch {
    const length = this.row;
    const batch: ColumnBatch = {
      names: this.names as string[],
      columns: this.builders.map((b) => b.finish(length)),
      length,
      firstRow: this.firstRow,
    };
    this.firstRow += length;
    this.row = 0;
    return batch;
  }

  private error(line: number, detail: string): MyelinError {
    return new MyelinError('MYELIN_ERR_DATA_FORMAT', detail, { file: this.display, line });
  }
}
