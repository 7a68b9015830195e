import type { Cell, Row } from '../types.js';
import type { ColumnBatch } from './column-batch.js';
import { vectorFromValues } from './vector-from-values.js';

/** Rows per batch when rows are turned into column batches. */
export const ROWS_PER_BATCH = 4096;

/**
 * Turns a row sequence (sync or async) into column batches of up to `batchRows` rows. Columns are
 * ordered by first appearance; a key absent from a record reads as null.
 *
 * @example
 * for await (const batch of rowsToBatches([{ a: 1 }, { a: 2, b: 'x' }])) batch.names; // ['a', 'b']
 */
export async function* rowsToBatches(
  rows: AsyncIterable<Row> | Iterable<Row>,
  batchRows = ROWS_PER_BATCH,
): AsyncGenerator<ColumnBatch> {
  const names: string[] = [];
  const index = new Map<string, number>();
  let pending: Row[] = [];
  let firstRow = 1;
  const flush = (): ColumnBatch => {
    const cells: Cell[][] = names.map(() => new Array<Cell>(pending.length).fill(null));
    pending.forEach((row, r) => {
      for (const key in row) {
        let c = index.get(key);
        if (c === undefined) {
          c = names.push(key) - 1;
          index.set(key, c);
          cells.push(new Array<Cell>(pending.length).fill(null));
        }
        (cells[c] as Cell[])[r] = row[key] ?? null;
      }
    });
    const batch: ColumnBatch = {
      names: [...names],
      columns: cells.map((c) => vectorFromValues(c)),
      length: pending.length,
      firstRow,
    };
    firstRow += pending.length;
    pending = [];
    return batch;
  };
  for await (const row of rows) {
    pending.push(row);
    if (pending.length === batchRows) yield flush();
  }
  if (pending.length > 0) yield flush();
}

/** Row batches (arrays of rows) as column batches, one for one. */
export async function* rowBatchesToBatches(batches: AsyncIterable<Row[]>): AsyncGenerator<ColumnBatch> {
  let firstRow = 1;
  const names: string[] = [];
  const index = new Map<string, number>();
  for await (const rows of batches) {
    const cells: Cell[][] = names.map(() => new Array<Cell>(rows.length).fill(null));
    rows.forEach((row, r) => {
      for (const key in row) {
        let c = index.get(key);
        if (c === undefined) {
          c = names.push(key) - 1;
          index.set(key, c);
          cells.push(new Array<Cell>(rows.length).fill(null));
        }
        (cells[c] as Cell[])[r] = row[key] ?? null;
      }
    });
    yield { names: [...names], columns: cells.map((c) => vectorFromValues(c)), length: rows.length, firstRow };
    firstRow += rows.length;
  }
}
