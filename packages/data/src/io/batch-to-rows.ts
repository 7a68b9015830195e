import type { Row } from '../types.js';
import type { ColumnBatch } from './column-batch.js';
import { cellAt } from './column-vector.js';

/**
 * The rows of a column batch as records (`{ column: cell }`, columns in batch order), for code
 * that works on rows; `from`/`to` pick a sub-range of the batch's rows.
 */
export function batchToRows(batch: ColumnBatch, from = 0, to = batch.length): Row[] {
  const rows: Row[] = [];
  const { names, columns } = batch;
  for (let r = from; r < to; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c] as string] = cellAt(columns[c]!, r);
    rows.push(row);
  }
  return rows;
}
