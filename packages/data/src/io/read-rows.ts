import { stat } from 'node:fs/promises';
import { MyelinError } from '@myelin/errors';
import type { Row } from '../types.js';
import type { DataFormat } from './data-formats.js';
import { batchToRows } from './batch-to-rows.js';
import type { ColumnBatch } from './column-batch.js';
import { ProgressTracker, BATCH_ROWS } from './progress-tracker.js';
import { readCsvBatches } from './read-csv.js';
import { readJson } from './read-json.js';
import { readJsonl } from './read-jsonl.js';
import { rowBatchesToBatches } from './rows-to-batches.js';
import type { ReadRowsOptions, ResolvedSource } from './resolved-source.js';

/**
 * Reads the rows of a resolved source, one at a time. CSV, JSON Lines and Parquet are streamed
 * (memory does not grow with the file); a JSON array is read whole (use JSONL for big data).
 *
 * @example
 * for await (const row of readRows(resolveSource('data/train.csv', { baseDir }))) { … }
 * @throws MyelinError MYELIN_ERR_DATA_READ (missing/unreadable file), MYELIN_ERR_DATA_FORMAT,
 *   MYELIN_ERR_DATA_EMPTY; the signal's reason when aborted.
 */
export async function* readRows(src: ResolvedSource, opts?: ReadRowsOptions): AsyncGenerator<Row> {
  for await (const batch of readRowBatches(src, opts)) {
    for (const row of batch) yield row;
  }
}

/**
 * Like `readRows` but yields arrays of up to 4,096 rows: cheaper per row for code that can
 * work on batches. Same streaming and errors as `readRows`.
 */
export async function* readRowBatches(src: ResolvedSource, opts?: ReadRowsOptions): AsyncGenerator<Row[]> {
  const progress = await open(src, opts);
  if (src.format === 'json' || src.format === 'jsonl') {
    yield* src.format === 'json' ? readJson(src, progress) : readJsonl(src, progress);
  } else {
    for await (const batch of columnBatches(src, progress)) {
      for (let from = 0; from < batch.length; from += BATCH_ROWS) {
        opts?.signal?.throwIfAborted();
        yield batchToRows(batch, from, Math.min(batch.length, from + BATCH_ROWS));
      }
    }
  }
  opts?.signal?.throwIfAborted();
  progress.done();
}

/**
 * Reads a resolved source as column batches (typed columns, no object per row): the fast path of
 * the analysis and the ingest step. CSV is scanned from its bytes, Parquet taken column chunk by
 * column chunk; JSON and JSON Lines are read as records and turned into columns. Same streaming
 * and errors as `readRows`; cells are the same as `readRows` gives (a key absent from a JSON
 * record reads as null).
 */
export async function* readColumnBatches(
  src: ResolvedSource,
  opts?: ReadRowsOptions,
): AsyncGenerator<ColumnBatch> {
  const progress = await open(src, opts);
  for await (const batch of columnBatches(src, progress)) {
    opts?.signal?.throwIfAborted();
    yield batch;
  }
  opts?.signal?.throwIfAborted();
  progress.done();
}

function columnBatches(src: ResolvedSource, progress: ProgressTracker): AsyncGenerator<ColumnBatch> {
  switch (src.format) {
    case 'csv':
      return readCsvBatches(src, progress);
    case 'parquet':
      return parquetBatches(src, progress);
    case 'jsonl':
      return rowBatchesToBatches(readJsonl(src, progress));
    case 'json':
      return rowBatchesToBatches(readJson(src, progress));
    default:
      throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `unsupported format ${String(src.format)}`, {
        file: src.display,
      });
  }
}

/** The Parquet reader module, loaded once. */
const parquetReader = (): Promise<typeof import('./read-parquet.js')> => import('./read-parquet.js');

/**
 * Loads the reader of `format` now, where it is loaded lazily (Parquet: the reader, hyparquet and
 * its codecs load with the first Parquet file, not with every CSV read), so that a caller timing
 * or serving reads does not pay the module load inside them. Reads nothing.
 *
 * @example await preloadReader(src.format); // then time readColumnBatches(src)
 */
export async function preloadReader(format: DataFormat): Promise<void> {
  if (format === 'parquet') await parquetReader();
}

async function* parquetBatches(src: ResolvedSource, progress: ProgressTracker): AsyncGenerator<ColumnBatch> {
  const { readParquetBatches } = await parquetReader();
  yield* readParquetBatches(src, progress);
}

/** Checks the file is there and not empty; the progress tracker of the read. */
async function open(src: ResolvedSource, opts: ReadRowsOptions | undefined): Promise<ProgressTracker> {
  let size: number;
  try {
    const info = await stat(src.path);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new MyelinError('MYELIN_ERR_DATA_READ', `cannot read ${src.display}: ${why}`, {
      file: src.display,
    });
  }
  opts?.signal?.throwIfAborted();
  if (size === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} is empty`, { file: src.display });
  return new ProgressTracker(size, opts);
}
