import { stat } from 'node:fs/promises';
import { MyelinError } from '@myelin/errors';
import type { Row } from '../types.js';
import { ProgressTracker } from './progress-tracker.js';
import { readCsv } from './read-csv.js';
import { readJson } from './read-json.js';
import { readJsonl } from './read-jsonl.js';
import { readParquet } from './read-parquet.js';
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
  const progress = new ProgressTracker(size, opts);
  if (size === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} is empty`, { file: src.display });
  switch (src.format) {
    case 'csv':
      yield* readCsv(src, progress);
      break;
    case 'jsonl':
      yield* readJsonl(src, progress);
      break;
    case 'json':
      yield* readJson(src, progress);
      break;
    case 'parquet':
      yield* readParquet(src, progress);
      break;
    default:
      throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `unsupported format ${String(src.format)}`, {
        file: src.display,
      });
  }
  opts?.signal?.throwIfAborted();
  progress.done();
}
