import type { DataSchema, Row } from '../types.js';
import { ColumnInferrer } from './column-inferrer.js';
import { valueKind } from './value-kind.js';

/** Streaming schema inference: feed rows, then `finish`. */
export interface SchemaInferrer {
  /** Feeds one row (1-based data row number). */
  observe(row: Row, rowNumber: number): void;
  /** The schema of the rows seen: columns in order of first appearance. */
  finish(): DataSchema;
  /** Per-column state (kind counts and examples) for validation. */
  readonly columns: ReadonlyMap<string, ColumnInferrer>;
}

/**
 * Creates a streaming schema inferrer (see `ColumnInferrer` for the type rules). Memory is
 * constant per column; columns absent from some rows are nullable.
 *
 * @example
 * const inf = createSchemaInferrer();
 * let n = 0;
 * for await (const row of readRows(src)) inf.observe(row, ++n);
 * const schema = inf.finish();
 */
export function createSchemaInferrer(): SchemaInferrer {
  const columns = new Map<string, ColumnInferrer>();
  let rows = 0;
  return {
    columns,
    observe(row, rowNumber) {
      rows = Math.max(rows, rowNumber);
      for (const key in row) {
        let col = columns.get(key);
        if (!col) columns.set(key, (col = new ColumnInferrer(key)));
        const v = row[key] ?? null;
        col.observe(v, valueKind(v), rowNumber);
      }
    },
    finish() {
      return { version: 1, columns: [...columns.values()].map((c) => c.finish(rows)) };
    },
  };
}

/** Infers the schema of a whole (sync or async) row sequence. */
export async function inferSchema(rows: AsyncIterable<Row> | Iterable<Row>): Promise<DataSchema> {
  const inf = createSchemaInferrer();
  let n = 0;
  for await (const row of rows) inf.observe(row, ++n);
  return inf.finish();
}
