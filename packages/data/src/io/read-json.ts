import { readFile } from 'node:fs/promises';
import { MyelinError } from '@myelin/errors';
import type { Row } from '../types.js';
import { BATCH_ROWS, type ProgressTracker } from './progress-tracker.js';
import type { ResolvedSource } from './resolved-source.js';
import { toCell } from './to-cell.js';

/**
 * Reads a JSON file holding an array of records. JSON arrays are NOT streamed: the whole file is
 * read and parsed in memory, so use JSON Lines (`.jsonl`) for big data.
 * @throws MyelinError MYELIN_ERR_DATA_FORMAT (not JSON, not an array of objects),
 *   MYELIN_ERR_DATA_EMPTY (empty file or empty array).
 */
export async function* readJson(src: ResolvedSource, progress: ProgressTracker): AsyncGenerator<Row[]> {
  const text = await readFile(src.path, 'utf8');
  progress.bytes = progress.totalBytes;
  if (text.trim() === '')
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} is empty`, { file: src.display });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `not valid JSON: ${(e as Error).message}`, {
      file: src.display,
    });
  }
  if (!Array.isArray(value)) {
    throw new MyelinError(
      'MYELIN_ERR_DATA_FORMAT',
      `expected a JSON array of records, got ${value === null ? 'null' : typeof value}` +
        (typeof value === 'object' ? ' (for one record per line use .jsonl)' : ''),
      { file: src.display },
    );
  }
  if (value.length === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} holds an empty array`, {
      file: src.display,
    });
  let batch: Row[] = [];
  for (let i = 0; i < value.length; i++) {
    const rec: unknown = value[i];
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `array element ${i + 1} is not an object (a record)`, {
        file: src.display,
        row: i + 1,
      });
    }
    const row: Row = {};
    for (const [k, v] of Object.entries(rec)) row[k] = toCell(v);
    value[i] = undefined; // let parsed records go once yielded
    progress.row();
    batch.push(row);
    if (batch.length === BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
