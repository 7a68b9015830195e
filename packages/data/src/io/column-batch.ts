import type { ColumnVector } from './column-vector.js';

/**
 * A run of consecutive rows of a table, column by column: what the columnar readers yield and the
 * analysis, the dataset artifact and the preprocessing consume. `names[i]` is the column of
 * `columns[i]`; a later batch may add columns at the end (a JSON record with a new key), never
 * drop or reorder them (a column a batch lacks reads as null there).
 */
export interface ColumnBatch {
  /** Column names in table order (first appearance). */
  readonly names: readonly string[];
  readonly columns: readonly ColumnVector[];
  /** Rows in this batch. */
  readonly length: number;
  /** 1-based data row number of the batch's first row (the header is not a data row). */
  readonly firstRow: number;
}
