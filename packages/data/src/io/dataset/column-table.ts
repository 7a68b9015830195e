import type { ColumnScratch, ColumnVector } from '../column-vector.js';

/**
 * A table read a whole column at a time, all rows, one column in memory (`SpilledColumns`,
 * `ArrowFileColumns`): what a step that works column by column across all rows (the split,
 * fitting the preprocessing, writing the matrix) reads. `close` it when done.
 */
export interface ColumnTable {
  readonly names: readonly string[];
  readonly rows: number;
  /**
   * Every row's cell of one column (all null for an unknown name). With `scratch`, the vector's
   * buffers are the scratch's (valid until its next use).
   */
  column(name: string, scratch?: ColumnScratch): ColumnVector;
  close(): void;
}
