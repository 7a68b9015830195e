import type { Row } from '../types.js';
import { readRows } from './read-rows.js';
import type { ReadRowsOptions, ResolvedSource } from './resolved-source.js';

/** Reads every row into an array: for training-sized data. Same errors as `readRows`. */
export async function loadRows(src: ResolvedSource, opts?: ReadRowsOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const row of readRows(src, opts)) rows.push(row);
  return rows;
}
