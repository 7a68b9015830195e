import { RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import type { ColumnBatch } from '../column-batch.js';
import type { ColumnVector } from '../column-vector.js';
import { arrowSchema, toRecordBatch } from './arrow-columns.js';
import { allInt32, type ColumnStorage, storageOf, widen } from './column-storage.js';
import { ARROW_STREAM_TYPE, type DatasetManifest, type DatasetPart } from './dataset-manifest.js';

/** Stores the bytes of one part (they stream as they are made) and returns its key. */
export type PutPart = (bytes: AsyncIterable<Uint8Array>) => Promise<string>;

/** Options of `writeDataset`. */
export interface WriteDatasetOptions {
  /** Cells read before the first part's column types are chosen. @defaultValue 4 Mi (4,194,304) */
  sniffCells?: number;
}

/** Cells looked at before the column types of the first part are chosen. */
const SNIFF_CELLS = 4 << 20;
/** The Arrow stream's end-of-stream marker: continuation, then a zero length. */
const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * Writes column batches as a dataset (see `DatasetManifest`): Arrow IPC streams put through
 * `putPart` as they are made, one record batch per column batch, with each column in the narrowest
 * Arrow type that holds it (int32, float64, bool, utf8; a sparse union for mixed kinds). The types
 * are chosen from the first 4 Mi cells; a later batch that needs a wider type ends the part and
 * starts the next with the widened types. Memory holds those first cells and one batch.
 *
 * @example
 * const manifest = await writeDataset(readColumnBatches(src), async (bytes) => (await store.put(bytes)).key);
 */
export async function writeDataset(
  batches: AsyncIterable<ColumnBatch> | Iterable<ColumnBatch>,
  putPart: PutPart,
  opts: WriteDatasetOptions = {},
): Promise<DatasetManifest> {
  const sniffCells = opts.sniffCells ?? SNIFF_CELLS;
  const source = (batches as AsyncIterable<ColumnBatch>)[Symbol.asyncIterator]
    ? (batches as AsyncIterable<ColumnBatch>)[Symbol.asyncIterator]()
    : toAsync((batches as Iterable<ColumnBatch>)[Symbol.iterator]());
  const pending: ColumnBatch[] = [];
  let cells = 0;
  let done = false;
  while (cells < sniffCells) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    pending.push(next.value);
    cells += next.value.length * next.value.names.length;
  }
  let names: readonly string[] = pending.at(-1)?.names ?? [];
  let storage: ColumnStorage[] = names.map(() => 'null');
  for (const b of pending) storage = widened(storage, b);
  const parts: DatasetPart[] = [];
  let rows = 0;
  const take = async (): Promise<ColumnBatch | undefined> => {
    const held = pending.shift();
    if (held) return held;
    if (done) return undefined;
    const next = await source.next();
    if (next.done) {
      done = true;
      return undefined;
    }
    return next.value;
  };
  for (;;) {
    const schema = arrowSchema(names, storage);
    const partStorage = storage;
    let partRows = 0;
    let overflow: ColumnBatch | undefined;
    let finished = false;
    async function* partBytes(): AsyncGenerator<Uint8Array> {
      let first = true;
      for (;;) {
        const batch = await take();
        if (!batch) {
          finished = true;
          break;
        }
        if (!fits(batch, partStorage)) {
          overflow = batch;
          break;
        }
        const chunks = await encode(batch, schema, partStorage);
        const total = byteLength(chunks);
        const head = schemaLength(chunks);
        if (first) {
          yield* coalesced(slice(chunks, 0, head));
          first = false;
        }
        yield* coalesced(slice(chunks, head, total - EOS.length));
        partRows += batch.length;
      }
      if (first) yield schemaOnly(schema);
      yield EOS;
    }
    const key = await putPart(partBytes());
    parts.push({ key, rows: partRows });
    rows += partRows;
    if (finished || !overflow) break;
    pending.unshift(overflow);
    names = overflow.names.length > names.length ? overflow.names : names;
    storage = widened(storage, overflow);
  }
  return { format: 'myelin-dataset', version: 1, mediaType: ARROW_STREAM_TYPE, rows, columns: [...names], parts };
}

function widened(storage: readonly ColumnStorage[], batch: ColumnBatch): ColumnStorage[] {
  const out = batch.names.map((_, i) => storage[i] ?? 'null');
  batch.columns.forEach((v, i) => (out[i] = widen(out[i] as ColumnStorage, storageOf(v))));
  return out;
}

/** True when every column of the batch fits its storage (and it brings no new column). */
function fits(batch: ColumnBatch, storage: readonly ColumnStorage[]): boolean {
  if (batch.names.length > storage.length) return false;
  return batch.columns.every((v, i) => fitsStorage(v, storage[i] as ColumnStorage));
}

function fitsStorage(v: ColumnVector, s: ColumnStorage): boolean {
  switch (s) {
    case 'mixed':
      return true;
    case 'null':
      return v.nulls === v.length;
    case 'bool':
      return v.numberCount === 0 && v.stringCount === 0;
    case 'utf8':
      return v.numberCount === 0 && v.booleanCount === 0;
    case 'float64':
      return v.booleanCount === 0 && v.stringCount === 0;
    case 'int32':
      return v.booleanCount === 0 && v.stringCount === 0 && allInt32(v);
  }
}

/**
 * One batch as a whole Arrow stream (schema message, record batch message, end marker), as the
 * writer's pieces: headers, and the column buffers themselves (not copied into one array).
 */
async function encode(batch: ColumnBatch, schema: Schema, storage: readonly ColumnStorage[]): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const c of RecordBatchStreamWriter.writeAll([toRecordBatch(batch, schema, storage)])) chunks.push(c);
  return chunks;
}

/** The stream of a schema without batches, less its end marker. */
function schemaOnly(schema: Schema): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  writer.reset(undefined, schema);
  writer.close();
  const bytes = writer.toUint8Array(true);
  return bytes.subarray(0, schemaLength([bytes]));
}

/**
 * The length of the first message of an Arrow stream (the schema): the 0xFFFFFFFF continuation
 * marker, the int32 metadata length, then the metadata (a schema message has no body).
 */
function schemaLength(chunks: readonly Uint8Array[]): number {
  const prefix = new Uint8Array(8);
  let n = 0;
  for (const c of chunks) {
    const take = Math.min(8 - n, c.length);
    prefix.set(c.subarray(0, take), n);
    n += take;
    if (n === 8) break;
  }
  const view = new DataView(prefix.buffer);
  if (n < 8 || view.getUint32(0, true) !== 0xffffffff) throw new Error('unexpected Arrow stream framing');
  return 8 + view.getInt32(4, true);
}

function byteLength(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

/** Bytes `from`..`to` of the chunks' concatenation, as views of the chunks. */
function slice(chunks: readonly Uint8Array[], from: number, to: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of chunks) {
    const start = Math.max(from, at);
    const end = Math.min(to, at + c.length);
    if (start < end) out.push(c.subarray(start - at, end - at));
    at += c.length;
  }
  return out;
}

/** Pieces under this size are copied together into one (the writer's headers and paddings). */
const SMALL_PIECE = 64 << 10;

/** The chunks with runs of small ones joined, so that a store writes a few large pieces. */
function* coalesced(chunks: readonly Uint8Array[]): Generator<Uint8Array> {
  let run: Uint8Array[] = [];
  let runBytes = 0;
  function* flush(): Generator<Uint8Array> {
    if (run.length === 1) yield run[0] as Uint8Array;
    else if (run.length > 1) {
      const joined = new Uint8Array(runBytes);
      let at = 0;
      for (const r of run) {
        joined.set(r, at);
        at += r.length;
      }
      yield joined;
    }
    run = [];
    runBytes = 0;
  }
  for (const c of chunks) {
    if (c.length >= SMALL_PIECE) {
      yield* flush();
      yield c;
    } else {
      run.push(c);
      runBytes += c.length;
      if (runBytes >= SMALL_PIECE) yield* flush();
    }
  }
  yield* flush();
}

async function* toAsync<T>(it: Iterator<T>): AsyncGenerator<T> {
  for (let r = it.next(); !r.done; r = it.next()) yield r.value;
}
