import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { MyelinError } from '@myelin/errors';
import type { Row } from '../types.js';
import { parseCsvCell } from './parse-csv-cell.js';
import { BATCH_ROWS, type ProgressTracker } from './progress-tracker.js';
import type { ResolvedSource } from './resolved-source.js';

/**
 * Streams the data rows of a CSV (or TSV) file with csv-parse, in batches of up to `BATCH_ROWS`;
 * memory does not grow with the file.
 * The first line is the header. Cells are converted by `parseCsvCell`. Blank lines are skipped.
 * @throws MyelinError MYELIN_ERR_DATA_EMPTY (empty file, or header without rows),
 *   MYELIN_ERR_DATA_FORMAT (ragged row, duplicate column name, bad quoting) naming file and line.
 */
export async function* readCsv(src: ResolvedSource, progress: ProgressTracker): AsyncGenerator<Row[]> {
  let header: string[] | undefined;
  const parser = parse({
    bom: true,
    delimiter: src.delimiter ?? ',',
    skip_empty_lines: true,
    columns: (names: string[]) => {
      header = names.map((n, i) => (n.trim() === '' ? `column${i + 1}` : n));
      const seen = new Set<string>();
      for (const n of header) {
        if (seen.has(n))
          throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `column "${n}" appears twice in the header`, {
            file: src.display,
            line: 1,
          });
        seen.add(n);
      }
      return header;
    },
  });
  const input = createReadStream(src.path);
  input.on('data', (chunk) => {
    progress.bytes += chunk.length;
  });
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  let batch: Row[] = [];
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      const row: Row = {};
      for (const key in record) row[key] = parseCsvCell(record[key] as string);
      progress.row();
      batch.push(row);
      if (batch.length === BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } catch (e) {
    throw toReadError(e, src, header?.length);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (!header)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} is empty`, { file: src.display });
  if (progress.rows === 0) {
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} has a header but no data rows`, {
      file: src.display,
    });
  }
}

function toReadError(e: unknown, src: ResolvedSource, headerFields: number | undefined): unknown {
  if (e instanceof MyelinError) return e;
  if (e instanceof CsvError) {
    const line = (e as CsvError & { lines?: number }).lines;
    const loc = { file: src.display, ...(line !== undefined ? { line } : {}) };
    if (e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') {
      const fields = (e as CsvError & { record?: unknown[] }).record?.length;
      return new MyelinError(
        'MYELIN_ERR_DATA_FORMAT',
        `ragged row: it has ${fields ?? 'a different number of'} fields, the header has ${headerFields ?? 'another number'}`,
        loc,
        { cause: e },
      );
    }
    return new MyelinError('MYELIN_ERR_DATA_FORMAT', `malformed CSV: ${e.message}`, loc, { cause: e });
  }
  return e;
}
