import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { MyelinError } from '@myelin/errors';
import type { Row } from '../types.js';
import { BATCH_ROWS, type ProgressTracker } from './progress-tracker.js';
import type { ResolvedSource } from './resolved-source.js';
import { toCell } from './to-cell.js';

/**
 * Streams a JSON Lines file in batches: one JSON object per line, blank lines skipped; memory does not grow
 * with the file. Values are converted by `toCell`.
 * @throws MyelinError MYELIN_ERR_DATA_FORMAT (bad JSON or a non-object line, naming file:line),
 *   MYELIN_ERR_DATA_EMPTY (no rows).
 */
export async function* readJsonl(src: ResolvedSource, progress: ProgressTracker): AsyncGenerator<Row[]> {
  const input = createReadStream(src.path, { encoding: 'utf8' });
  input.on('data', (chunk) => {
    progress.bytes += Buffer.byteLength(chunk as string);
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  let batch: Row[] = [];
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `not valid JSON: ${(e as Error).message}`, {
          file: src.display,
          line,
        });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
        throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `expected a JSON object per line, got ${kind}`, {
          file: src.display,
          line,
        });
      }
      const row: Row = {};
      for (const [k, v] of Object.entries(value)) row[k] = toCell(v);
      progress.row();
      batch.push(row);
      if (batch.length === BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    lines.close();
    input.destroy();
  }
  if (progress.rows === 0)
    throw new MyelinError('MYELIN_ERR_DATA_EMPTY', `${src.display} holds no rows`, { file: src.display });
}
