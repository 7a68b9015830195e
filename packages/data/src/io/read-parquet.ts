import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type ColumnData,
  type FileMetaData,
  type ParquetParsers,
  type RowGroup,
  type SchemaElement,
} from 'hyparquet';
import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from './column-batch.js';
import type { ColumnVector } from './column-vector.js';
import { vectorFromValues } from './vector-from-values.js';
import { isoFromDays, isoFromMillis } from './iso-from-millis.js';
import { parquetCompressors } from './parquet-compressors.js';
import type { ProgressTracker } from './progress-tracker.js';
import type { ResolvedSource } from './resolved-source.js';
import { BATCH_CELLS } from './csv/csv-scanner.js';
import { flatColumnType } from './parquet/flat-column-type.js';
import { readFlatColumnChunk, UNSUPPORTED } from './parquet/flat-column-chunk.js';
import { flatVectors } from './parquet/flat-vectors.js';

/** Timestamps and dates decode straight to ISO-8601 strings (no Date objects). */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v) => isoFromMillis(Number(v)),
  timestampFromMicroseconds: (v) => isoFromMillis(Number(v / 1000n)),
  timestampFromNanoseconds: (v) => isoFromMillis(Number(v / 1_000_000n)),
  dateFromDays: (v) => isoFromDays(v),
};

type Compressors = Parameters<typeof parquetRead>[0]['compressors'];
type Values = ColumnData['columnData'];

/**
 * Streams a Parquet file as column batches, decoding one row group at a time with hyparquet over
 * an on-demand file buffer (memory is bounded by one row group, not the file) and taking its
 * column chunks as they are (typed arrays for numbers) instead of assembling records.
 * BigInt → number, timestamps/dates → ISO strings, nested values (lists, structs) → JSON text.
 * @throws MyelinError MYELIN_ERR_DATA_READ (not a Parquet file, unsupported compression),
 *   MYELIN_ERR_DATA_EMPTY (no rows).
 */
export async function* readParquetBatches(
  src: ResolvedSource,
  progress: ProgressTracker,
): AsyncGenerator<ColumnBatch> {
  const raw = await asyncBufferFromFile(src.path);
  const file: AsyncBuffer = {
    byteLength: raw.byteLength,
    slice: (start, end) => {
      progress.bytes += (end ?? raw.byteLength) - start;
      return raw.slice(start, end);
    },
  };
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new MyelinError('MYELIN_ERR_DATA_READ', `not a readable Parquet file: ${(e as Error).message}`, {
      file: src.display,
    });
  }
  if (Number(metadata.num_rows) === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} holds no rows`, { file: src.display });
  const columns = parquetSchema(metadata).children.map((c) => c.element);
  const names = columns.map((c) => c.name);
  const compressors = await parquetCompressors();
  const step = Math.max(64, Math.min(65_536, Math.floor(BATCH_CELLS / Math.max(1, names.length))));
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    if (rowEnd === rowStart) continue;
    const n = rowEnd - rowStart;
    const slices: [number, number][] = [];
    for (let from = 0; from < n; from += step) slices.push([from, Math.min(n, from + step)]);
    // one column at a time: its decoded values (JS arrays) are turned into compact vectors before
    // the next column is decoded, so memory holds one column's values, not the row group's
    const vectors = new Map<string, ColumnVector[]>();
    for (const element of columns) {
      const name = element.name;
      let values: Values;
      try {
        const flat = await readFlat(file, group, element, n, step, compressors);
        if (flat) {
          vectors.set(name, flat);
          continue;
        }
        values = (await readGroup(file, metadata, compressors, rowStart, rowEnd, name)).get(name) ?? [];
      } catch (e) {
        throw new MyelinError(
          'MYELIN_ERR_DATA_READ',
          `cannot decode Parquet rows ${rowStart + 1}-${rowEnd}: ${(e as Error).message}`,
          { file: src.display },
        );
      }
      vectors.set(
        name,
        slices.map(([from, to]) => vectorFromValues(values, from, to)),
      );
    }
    for (let s = 0; s < slices.length; s++) {
      const [from, to] = slices[s] as [number, number];
      const batch: ColumnBatch = {
        names,
        columns: names.map((name) => (vectors.get(name) as ColumnVector[])[s] as ColumnVector),
        length: to - from,
        firstRow: rowStart + from + 1,
      };
      progress.addRows(batch.length);
      yield batch;
    }
    rowStart = rowEnd;
  }
}

/**
 * One flat top-level column of one row group, read with Myelin's own page decoder (typed arrays,
 * no per-value BigInt or JS array), sliced into vectors of `step` rows; undefined when the column
 * is of a type or encoding it leaves to hyparquet.
 */
async function readFlat(
  file: AsyncBuffer,
  group: RowGroup,
  element: SchemaElement,
  rows: number,
  step: number,
  compressors: Compressors,
): Promise<ColumnVector[] | undefined> {
  const type = flatColumnType(element);
  const chunk = group.columns.find(
    (c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === element.name,
  );
  const meta = chunk?.meta_data;
  if (!type || !meta || chunk.file_path) return undefined;
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  const bytes = new Uint8Array(await file.slice(start, start + Number(meta.total_compressed_size)));
  const col = readFlatColumnChunk(
    bytes,
    rows,
    type,
    element.repetition_type !== 'REQUIRED',
    meta.codec,
    compressors ?? {},
  );
  if (col === UNSUPPORTED) return undefined;
  const slices: [number, number][] = [];
  for (let from = 0; from < rows; from += step) slices.push([from, Math.min(rows, from + step)]);
  return flatVectors(col, slices);
}

/** Decodes one top-level column of one row group into an array of values. */
async function readGroup(
  file: AsyncBuffer,
  metadata: FileMetaData,
  compressors: Compressors,
  rowStart: number,
  rowEnd: number,
  column: string,
): Promise<Map<string, Values>> {
  const pieces = new Map<string, ColumnData[]>();
  await parquetRead({
    file,
    metadata,
    rowStart,
    rowEnd,
    columns: [column],
    compressors,
    parsers: PARSERS,
    onChunk: (chunk) => {
      let list = pieces.get(chunk.columnName);
      if (!list) pieces.set(chunk.columnName, (list = []));
      list.push(chunk);
    },
  });
  const out = new Map<string, Values>();
  const n = rowEnd - rowStart;
  for (const [name, list] of pieces) {
    const only = list[0];
    if (list.length === 1 && only && only.rowStart === rowStart && only.rowEnd === rowEnd) {
      out.set(name, only.columnData);
      continue;
    }
    const values = new Array<unknown>(n).fill(null);
    for (const piece of list) {
      for (let i = 0; i < piece.columnData.length; i++) {
        const r = piece.rowStart + i - rowStart;
        if (r >= 0 && r < n) values[r] = piece.columnData[i];
      }
    }
    out.set(name, values);
  }
  return out;
}
