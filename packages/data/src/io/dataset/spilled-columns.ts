import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnBatch } from '../column-batch.js';
import { ColumnScratch, type ColumnVector, TAG_NULL } from '../column-vector.js';
import type { ColumnTable } from './column-table.js';

/** Bytes of column data held before it is appended to the column files. */
const BUFFER_BYTES = 64 << 20;
const HEADER = 28;
/** Column files kept open while the table is spilled, at most. */
const KEEP_OPEN = 1024;

/**
 * A table turned column-major on local disk: one pass over its batches appends each column's
 * cells to a file of its own (in a fresh folder under the system temp folder), after which a whole
 * column is one file read. What a step that works column by column across all rows (the split,
 * fitting the preprocessing, writing the matrix) uses instead of holding the table in memory:
 * memory is one column (in a reusable `ColumnScratch`) and 64 MiB of write buffers. `close`
 * removes the files.
 *
 * @example
 * const table = await SpilledColumns.from(readDataset(manifest, open));
 * try { const target = table.column('Species'); … } finally { table.close(); }
 */
export class SpilledColumns implements ColumnTable {
  private constructor(
    private readonly dir: string,
    readonly names: readonly string[],
    readonly rows: number,
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  /** The file bytes of the last column read, reused from one read to the next. */
  private buffer = Buffer.alloc(0);

  /**
   * Spills `batches` (read once) to column files. Their arrays are written as they are, up to
   * 64 MiB after the batch came: a source must not change a batch's arrays once it gave the batch.
   */
  static async from(
    batches: AsyncIterable<ColumnBatch> | Iterable<ColumnBatch>,
    opts: { dir?: string } = {},
  ): Promise<SpilledColumns> {
    const dir = mkdtempSync(join(opts.dir ?? tmpdir(), 'myelin-columns-'));
    // the column files stay open from flush to flush (up to KEEP_OPEN of them; more are opened at each flush)
    const open = new Map<number, number>();
    try {
      const names: string[] = [];
      const files = new Map<string, string>();
      // each column's pieces (views of the batches' arrays, not copies) until the next flush
      const pending: Uint8Array[][] = [];
      let buffered = 0;
      // the buffers the pending pieces keep alive (a view pins its whole buffer: an Arrow read chunk)
      const pinned = new Set<ArrayBufferLike>();
      let rows = 0;
      const flush = (): void => {
        pending.forEach((chunks, c) => {
          if (chunks.length === 0) return;
          const file = files.get(names[c] as string) as string;
          const kept = open.get(c);
          if (kept !== undefined) appendAll(kept, chunks);
          else if (names.length <= KEEP_OPEN) {
            const fd = openSync(file, 'a');
            open.set(c, fd);
            appendAll(fd, chunks);
          } else {
            const fd = openSync(file, 'a');
            try {
              appendAll(fd, chunks);
            } finally {
              closeSync(fd);
            }
          }
          chunks.length = 0;
        });
        buffered = 0;
        pinned.clear();
      };
      for await (const batch of batches) {
        for (let c = names.length; c < batch.names.length; c++) {
          const name = batch.names[c] as string;
          names.push(name);
          files.set(name, join(dir, `c${c}`));
          pending.push([]);
          // the rows before the column appeared are null
          if (rows > 0) buffered += encode(nullRun(rows), pending[c] as Uint8Array[], pinned);
        }
        names.forEach((_, c) => {
          buffered += encode(batch.columns[c] ?? nullRun(batch.length), pending[c] as Uint8Array[], pinned);
        });
        rows += batch.length;
        if (buffered >= BUFFER_BYTES) flush();
      }
      flush();
      return new SpilledColumns(dir, names, rows, files);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    } finally {
      for (const fd of open.values()) closeSync(fd);
    }
  }

  /**
   * Every row's cell of one column (all null for an unknown name). With `scratch`, the vector's
   * buffers are the scratch's (valid until its next use).
   */
  column(name: string, scratch?: ColumnScratch): ColumnVector {
    const n = this.rows;
    const s = scratch ?? new ColumnScratch();
    s.reserve(n);
    const tags = s.tags.subarray(0, n);
    const file = this.files.get(name);
    if (!file) {
      return nullRun(n, tags.fill(TAG_NULL));
    }
    const bytes = this.read(file);
    const dictionary: string[] = [];
    let at = 0;
    let pos = 0;
    let numberCount = 0;
    let booleanCount = 0;
    let stringCount = 0;
    while (pos < bytes.length) {
      const len = bytes.readUInt32LE(pos);
      const hasNumbers = bytes.readUInt32LE(pos + 4) === 1;
      const hasCodes = bytes.readUInt32LE(pos + 8) === 1;
      const dictBytes = bytes.readUInt32LE(pos + 12);
      numberCount += bytes.readUInt32LE(pos + 16);
      booleanCount += bytes.readUInt32LE(pos + 20);
      stringCount += bytes.readUInt32LE(pos + 24);
      pos += HEADER;
      tags.set(bytes.subarray(pos, pos + len), at);
      pos += len;
      if (hasNumbers) {
        const numbers = (s.numbers ??= new Float64Array(s.tags.length));
        Buffer.from(numbers.buffer, numbers.byteOffset, numbers.byteLength).set(
          bytes.subarray(pos, pos + 8 * len),
          8 * at,
        );
        pos += 8 * len;
      }
      if (hasCodes) {
        const codes = (s.codes ??= new Int32Array(s.tags.length));
        const shift = dictionary.length;
        Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).set(
          bytes.subarray(pos, pos + 4 * len),
          4 * at,
        );
        if (shift > 0) for (let i = at; i < at + len; i++) (codes[i] as number) += shift;
        pos += 4 * len;
        for (const d of JSON.parse(bytes.toString('utf8', pos, pos + dictBytes)) as string[])
          dictionary.push(d);
        pos += dictBytes;
      }
      at += len;
    }
    return {
      length: n,
      tags,
      numbers: numberCount > 0 ? (s.numbers as Float64Array).subarray(0, n) : null,
      codes: stringCount > 0 ? (s.codes as Int32Array).subarray(0, n) : null,
      dictionary,
      nulls: n - numberCount - booleanCount - stringCount,
      numberCount,
      booleanCount,
      stringCount,
    };
  }

  /** A column file's bytes, in the reused buffer. */
  private read(file: string): Buffer {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      if (this.buffer.length < size) this.buffer = Buffer.allocUnsafe(size);
      let got = 0;
      while (got < size) got += readSync(fd, this.buffer, got, size - got, got);
      return this.buffer.subarray(0, size);
    } finally {
      closeSync(fd);
    }
  }

  /** Removes the column files. */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One batch's vector of a column as pieces appended to `out`: a header, then views of the tags,
 * the numbers and the codes, and the dictionary. Returns the bytes they keep alive beyond those
 * already `pinned` (a view keeps its whole buffer).
 */
function encode(v: ColumnVector, out: Uint8Array[], pinned: Set<ArrayBufferLike>): number {
  const n = v.length;
  const hasNumbers = v.numbers !== null && v.numberCount > 0;
  const hasCodes = v.codes !== null && v.stringCount > 0;
  const dict = hasCodes ? Buffer.from(JSON.stringify(v.dictionary), 'utf8') : undefined;
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(n, 0);
  header.writeUInt32LE(hasNumbers ? 1 : 0, 4);
  header.writeUInt32LE(hasCodes ? 1 : 0, 8);
  header.writeUInt32LE(dict?.length ?? 0, 12);
  header.writeUInt32LE(v.numberCount, 16);
  header.writeUInt32LE(v.booleanCount, 20);
  header.writeUInt32LE(v.stringCount, 24);
  out.push(header, v.tags.subarray(0, n));
  let size = HEADER + pin(v.tags.buffer, pinned);
  if (hasNumbers) {
    const numbers = v.numbers as Float64Array;
    out.push(new Uint8Array(numbers.buffer, numbers.byteOffset, 8 * n));
    size += pin(numbers.buffer, pinned);
  }
  if (hasCodes) {
    const codes = v.codes as Int32Array;
    out.push(new Uint8Array(codes.buffer, codes.byteOffset, 4 * n), dict as Buffer);
    size += pin(codes.buffer, pinned) + (dict as Buffer).length;
  }
  return size;
}

/** The bytes `buffer` adds to what the pending pieces hold: its size the first time, then 0. */
function pin(buffer: ArrayBufferLike, pinned: Set<ArrayBufferLike>): number {
  if (pinned.has(buffer)) return 0;
  pinned.add(buffer);
  return buffer.byteLength;
}

/** Appends the pieces to an open file, in order, with vectored writes (no joined copy). */
function appendAll(fd: number, pieces: Uint8Array[]): void {
  // writev takes at most IOV_MAX (1024) pieces at a time and may write fewer bytes than asked
  for (let at = 0; at < pieces.length;) {
    const group = pieces.slice(at, at + 1024);
    let want = 0;
    for (const p of group) want += p.byteLength;
    let wrote = writevSync(fd, group);
    while (wrote < want) {
      // finish a short write piece by piece
      let skip = wrote;
      const rest: Uint8Array[] = [];
      for (const p of group) {
        if (skip >= p.byteLength) skip -= p.byteLength;
        else {
          rest.push(skip > 0 ? p.subarray(skip) : p);
          skip = 0;
        }
      }
      want -= wrote;
      group.length = 0;
      group.push(...rest);
      wrote = writevSync(fd, group);
    }
    at += 1024;
  }
}

/** A run of `n` nulls (`tags`: a buffer of null tags to reuse, else a new one). */
function nullRun(n: number, tags: Uint8Array = new Uint8Array(n).fill(TAG_NULL)): ColumnVector {
  return {
    length: n,
    tags,
    numbers: null,
    codes: null,
    dictionary: [],
    nulls: n,
    numberCount: 0,
    booleanCount: 0,
    stringCount: 0,
  };
}
