import { createReadStream } from 'node:fs';
import { MyelinError } from '@myelin/errors';
import type { ColumnBatch } from './column-batch.js';
import { CsvScanner } from './csv/csv-scanner.js';
import type { ProgressTracker } from './progress-tracker.js';
import type { ResolvedSource } from './resolved-source.js';

/** Bytes read from the file at a time. */
export const CSV_CHUNK_BYTES = 1 << 20;

/**
 * Streams the data rows of a CSV (or TSV) file as column batches, scanning the bytes in this
 * thread with `CsvScanner` (RFC 4180; see there for the rules and errors); memory does not grow with
 * the file.
 * @throws MyelinError MYELIN_ERR_DATA_EMPTY (empty file, or header without rows),
 *   MYELIN_ERR_DATA_FORMAT (ragged row, duplicate column name, bad quoting) naming file and line.
 */
export async function* readCsvBatches(src: ResolvedSource, progress: ProgressTracker): AsyncGenerator<ColumnBatch> {
  const scanner = new CsvScanner(src.display, delimiterByte(src));
  const input = createReadStream(src.path, { highWaterMark: CSV_CHUNK_BYTES });
  const out: ColumnBatch[] = [];
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      progress.bytes += chunk.length;
      scanner.push(chunk, out);
      for (const batch of out) {
        progress.addRows(batch.length);
        yield batch;
      }
      out.length = 0;
      progress.checkAborted();
    }
    scanner.end(out);
    for (const batch of out) {
      progress.addRows(batch.length);
      yield batch;
    }
  } finally {
    input.destroy();
  }
  checkNotEmpty(src, scanner.names, scanner.rows);
}

/** The delimiter of a CSV source as one byte. */
export function delimiterByte(src: ResolvedSource): number {
  const d = src.delimiter ?? ',';
  if (d.length !== 1 || d.charCodeAt(0) > 127)
    throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `the CSV delimiter must be one ASCII character, got ${JSON.stringify(d)}`, {
      file: src.display,
    });
  return d.charCodeAt(0);
}

/** Throws MYELIN_ERR_DATA_EMPTY for a file without a header or without data rows. */
export function checkNotEmpty(src: ResolvedSource, names: readonly string[] | undefined, rows: number): void {
  if (!names) throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} is empty`, { file: src.display });
  if (rows === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} has a header but no data rows`, {
      file: src.display,
    });
}
