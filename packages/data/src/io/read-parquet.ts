import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetRead,
  type AsyncBuffer,
  type FileMetaData,
  type ParquetParsers,
} from 'hyparquet';
import { MyelinError } from '@myelin/errors';
import type { Row } from '../types.js';
import { isoFromDays, isoFromMillis } from './iso-from-millis.js';
import { parquetCompressors } from './parquet-compressors.js';
import { BATCH_ROWS, type ProgressTracker } from './progress-tracker.js';
import type { ResolvedSource } from './resolved-source.js';
import { toCell } from './to-cell.js';

/** Timestamps and dates decode straight to ISO-8601 strings (no Date objects). */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v) => isoFromMillis(Number(v)),
  timestampFromMicroseconds: (v) => isoFromMillis(Number(v / 1000n)),
  timestampFromNanoseconds: (v) => isoFromMillis(Number(v / 1_000_000n)),
  dateFromDays: (v) => isoFromDays(v),
};

const EMPTY: Record<string, unknown> = {};

type Compressors = Parameters<typeof parquetRead>[0]['compressors'];

/**
 * Streams a Parquet file in batches, decoding one row group at a time with hyparquet over an
 * on-demand file buffer: memory is bounded by one row group, not the file.
 * BigInt → number, timestamps/dates → ISO strings, nested values (lists, structs) → JSON text.
 * @throws MyelinError MYELIN_ERR_DATA_READ (not a Parquet file, unsupported compression),
 *   MYELIN_ERR_DATA_EMPTY (no rows).
 */
export async function* readParquet(src: ResolvedSource, progress: ProgressTracker): AsyncGenerator<Row[]> {
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
  const compressors = await parquetCompressors();
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    if (rowEnd === rowStart) continue;
    let records: Record<string, unknown>[];
    try {
      records = await readGroup(file, metadata, compressors, rowStart, rowEnd);
    } catch (e) {
      const hint = /compression codec/.test((e as Error).message)
        ? ''
        : '';
      throw new MyelinError(
        'MYELIN_ERR_DATA_READ',
        `cannot decode Parquet rows ${rowStart + 1}-${rowEnd}: ${(e as Error).message}${hint}`,
        {
          file: src.display,
        },
      );
    }
    for (let i = 0; i < records.length; i += BATCH_ROWS) {
      const batch: Row[] = [];
      const end = Math.min(records.length, i + BATCH_ROWS);
      for (let r = i; r < end; r++) {
        const rec = records[r] as Record<string, unknown>;
        records[r] = EMPTY; // release decoded records as they are converted
        const row: Row = {};
        for (const k in rec) row[k] = toCell(rec[k]);
        progress.row();
        batch.push(row);
      }
      yield batch;
    }
    rowStart = rowEnd;
  }
}

/** Decodes one row group into records. */
async function readGroup(
  file: AsyncBuffer,
  metadata: FileMetaData,
  compressors: Compressors,
  rowStart: number,
  rowEnd: number,
): Promise<Record<string, unknown>[]> {
  let records: Record<string, unknown>[] = [];
  await parquetRead({
    file,
    metadata,
    rowStart,
    rowEnd,
    compressors,
    parsers: PARSERS,
    rowFormat: 'object',
    onComplete: (rows) => (records = rows),
  });
  return records;
}
