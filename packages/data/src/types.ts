/**
 * Shared types of the data package. Readers produce `Row`s; schema inference produces a
 * `DataSchema`; profiling produces a `Profile`; validation produces `Anomaly`s.
 */

/** One record as read from a file. Values are JS primitives: number, string, boolean, null. */
export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell>;

/** Column types a schema or a validation rule names. */
export const COLUMN_TYPES = ['number', 'integer', 'boolean', 'category', 'string', 'datetime'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  nullable: boolean;
  /** Numeric range seen (number/integer), or allowed (from a schema file / spec). */
  min?: number;
  max?: number;
  /** Category domain (type category), sorted. */
  values?: string[];
}

/** The data schema: one entry per column, in file order. Serialisable as JSON (schema file). */
export interface DataSchema {
  version: 1;
  columns: ColumnSchema[];
}

export interface Histogram {
  /** bin edges, length bins+1 */
  edges: number[];
  counts: number[];
}

export interface ColumnProfile {
  name: string;
  type: ColumnType;
  count: number; // non-missing values
  missing: number;
  distinct: number;
  distinctApproximate: boolean;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** p1, p5, p25, p50, p75, p95, p99 */
  quantiles?: Record<'p1' | 'p5' | 'p25' | 'p50' | 'p75' | 'p95' | 'p99', number>;
  histogram?: Histogram;
  /** Most frequent values (categories, booleans, strings) with counts, most frequent first. */
  topValues?: { value: string; count: number }[];
  /** Count of NaN / +-Infinity / unparseable numeric values seen in a numeric column. */
  nonFinite?: number;
}

/** Statistics profile of a table: the drift baseline of a trained model. Serialisable as JSON. */
export interface Profile {
  version: 1;
  rows: number;
  columns: ColumnProfile[];
}

export type AnomalyRule =
  | 'type'
  | 'range'
  | 'domain'
  | 'nullable'
  | 'maxMissingFraction'
  | 'duplicateRows'
  | 'targetClasses'
  | 'targetMissing'
  | 'constant'
  | 'nonFinite'
  | 'columnMissing';

export interface Anomaly {
  /** Column name, or '*' for table-wide rules such as duplicate rows. */
  column: string;
  rule: AnomalyRule;
  severity: 'error' | 'warning';
  count: number;
  message: string;
  /** A few 1-based row numbers (data rows, header excluded) that show the anomaly. */
  exampleRows: number[];
}

/** What a model does with the target column: the pipeline's `task:` values. */
export const TASKS = ['binary', 'multiclass', 'regression'] as const;
export type Task = (typeof TASKS)[number];
