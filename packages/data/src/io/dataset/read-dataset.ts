import { RecordBatchReader } from 'apache-arrow';
import type { ColumnBatch } from '../column-batch.js';
import { nullVector } from '../column-vector.js';
import { fromRecordBatch } from './arrow-columns.js';
import type { DatasetManifest } from './dataset-manifest.js';

/** Opens the bytes of a stored part as a stream. */
export type OpenPart = (key: string) => Promise<AsyncIterable<Uint8Array>>;

/**
 * Streams a dataset's rows as column batches, part after part, one record batch at a time
 * (memory holds one batch). Every batch lists all of the manifest's columns; a part that lacks
 * the last ones gives null vectors for them.
 *
 * @example
 * for await (const batch of readDataset(manifest, (key) => store.get(key))) …
 */
export async function* readDataset(manifest: DatasetManifest, openPart: OpenPart): AsyncGenerator<ColumnBatch> {
  let firstRow = 1;
  for (const part of manifest.parts) {
    const reader = await RecordBatchReader.from(await openPart(part.key));
    for await (const rb of reader) {
      const batch = padded(fromRecordBatch(rb, firstRow), manifest.columns);
      firstRow += batch.length;
      yield batch;
    }
  }
}

/** The batch with null vectors for the manifest's columns it lacks. */
function padded(batch: ColumnBatch, columns: readonly string[]): ColumnBatch {
  if (batch.names.length >= columns.length) return batch;
  const extra = columns.slice(batch.names.length).map(() => nullVector(batch.length));
  return { ...batch, names: columns, columns: [...batch.columns, ...extra] };
}

/** `readDataset` over parts already in memory (zero-copy Arrow reads). */
export function* readDatasetBytes(manifest: DatasetManifest, parts: readonly Uint8Array[]): Generator<ColumnBatch> {
  let firstRow = 1;
  for (let p = 0; p < manifest.parts.length; p++) {
    const reader = RecordBatchReader.from(parts[p] as Uint8Array);
    for (const rb of reader) {
      const batch = padded(fromRecordBatch(rb, firstRow), manifest.columns);
      firstRow += batch.length;
      yield batch;
    }
  }
}
