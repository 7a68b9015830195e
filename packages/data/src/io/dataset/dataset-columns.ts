import { type RecordBatch, RecordBatchReader } from 'apache-arrow';
import { type ColumnVector, concatVectors, nullVector } from '../column-vector.js';
import { fromArrowData } from './arrow-columns.js';
import type { DatasetManifest } from './dataset-manifest.js';

/**
 * A dataset held in memory as its Arrow parts (zero-copy: the record batches are views into the
 * part bytes), read one whole column at a time: what a step that needs columns across all rows
 * (the split, fitting the preprocessing) uses without building every column at once.
 *
 * @example
 * const table = new DatasetColumns(manifest, await Promise.all(manifest.parts.map((p) => store.getBytes(p.key))));
 * const target = table.column('Species');
 */
export class DatasetColumns {
  readonly rows: number;
  readonly names: readonly string[];
  private readonly batches: RecordBatch[] = [];

  constructor(manifest: DatasetManifest, parts: readonly Uint8Array[]) {
    for (const bytes of parts) for (const rb of RecordBatchReader.from(bytes)) this.batches.push(rb);
    this.rows = this.batches.reduce((n, b) => n + b.numRows, 0);
    this.names = manifest.columns;
  }

  /** Every row's cell of one column (null where a part lacks the column; all null for an unknown name). */
  column(name: string): ColumnVector {
    const pieces = this.batches.map((rb) => {
      const i = rb.schema.fields.findIndex((f) => f.name === name);
      return i < 0 ? nullVector(rb.numRows) : fromArrowData(rb.data.children[i] as Parameters<typeof fromArrowData>[0]);
    });
    return pieces.length === 0 ? nullVector(0) : concatVectors(pieces);
  }
}
