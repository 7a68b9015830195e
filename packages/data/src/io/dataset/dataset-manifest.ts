import { MyelinError } from '@myelin/errors';

/** The media type of a dataset part: an Arrow IPC stream. */
export const ARROW_STREAM_TYPE = 'application/vnd.apache.arrow.stream';

/** One part of a dataset: an Arrow IPC stream of consecutive rows, all of one schema. */
export interface DatasetPart {
  /** Where the part is stored (an artifact key). */
  key: string;
  rows: number;
}

/**
 * A dataset as Myelin stores it between steps: the table's columns and its rows in one or more
 * Arrow IPC streams ("parts", read in order). Each part is a standard Arrow stream of record
 * batches that any Arrow reader (pyarrow, arrow-rs, DuckDB) opens; a new part starts only when a
 * column needs a wider type than the previous part gave it (an integer column meets a fraction
 * or text, a column that was all null gets values), so most datasets are one part.
 */
export interface DatasetManifest {
  format: 'myelin-dataset';
  version: 1;
  mediaType: typeof ARROW_STREAM_TYPE;
  rows: number;
  /** Column names in table order; a part may lack the last ones (read as null). */
  columns: string[];
  parts: DatasetPart[];
}

/**
 * Checks a parsed manifest.
 * @throws MyelinError MYELIN_ERR_DATA_FORMAT naming `where` when it is not a dataset manifest.
 */
export function parseDatasetManifest(value: unknown, where: string): DatasetManifest {
  const v = value as Partial<DatasetManifest> | null;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    v.format === 'myelin-dataset' &&
    v.version === 1 &&
    Number.isSafeInteger(v.rows) &&
    Array.isArray(v.columns) &&
    v.columns.every((c) => typeof c === 'string') &&
    Array.isArray(v.parts) &&
    v.parts.every((p) => typeof p?.key === 'string' && Number.isSafeInteger(p.rows));
  if (!ok)
    throw new MyelinError('MYELIN_ERR_DATA_FORMAT', `${where} is not a Myelin dataset manifest (format myelin-dataset, version 1)`, {
      file: where,
    });
  return v as DatasetManifest;
}
