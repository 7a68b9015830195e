import type { ColumnType, DataSchema, Profile, Anomaly, Task } from '../types.js';

/** A rule on one column, from the pipeline's `validate.columns` (overrides the schema's entry). */
export interface ColumnRule {
  type?: ColumnType;
  min?: number;
  max?: number;
  nullable?: boolean;
  /** Allowed category values (compared as text). */
  values?: string[];
}

/** Options of `analyzeTable`. */
export interface AnalyzeOptions {
  /** A schema (e.g. from a schema file) to check against instead of inferring one. */
  schema?: DataSchema;
  /** Per-column rules; they override and extend the schema. */
  columns?: Record<string, ColumnRule>;
  /** The target column; must exist. */
  target?: string;
  /** The task; inferred from the target when undefined. */
  task?: Task;
  /** Columns that must exist. */
  features?: string[];
  /** Largest allowed fraction of missing values per column. @defaultValue 0.05 */
  maxMissingFraction?: number;
  /** Accept duplicate rows without a warning. @defaultValue false */
  allowDuplicates?: boolean;
  /** File name used in messages. */
  source?: string;
}

/** What one pass over a table found. */
export interface TableReport {
  rows: number;
  schema: DataSchema;
  profile: Profile;
  anomalies: Anomaly[];
  /** The task (given or inferred), when a target was named. */
  task?: Task;
  /** Sorted class labels (as text) for classification targets. */
  targetClasses?: string[];
}
