import type { LoadedSpec } from '@myelin/spec';
import {
  analyzeBatches,
  readColumnBatches,
  type Anomaly,
  type DataSchema,
  type Profile,
  type ResolvedSource,
  type Task,
} from '@myelin/data';
import { analyzeOptionsFor, dataSourceOf } from './data-rules.js';

export type ValidationStatus = 'passed' | 'warned' | 'failed';

export interface ValidateDataOptions {
  /** Allow `data.source` and `validate.schema` outside the pipeline file's folder (CLI: --allow-outside-data). Default false. */
  allowOutside?: boolean;
  /** Called while rows stream in. */
  onProgress?: (p: { rows: number; bytes: number; totalBytes: number }) => void;
}

export interface DataValidationResult {
  status: ValidationStatus;
  source: ResolvedSource;
  rows: number;
  schema: DataSchema;
  schemaSource: 'infer' | string;
  profile: Profile;
  anomalies: Anomaly[];
  task?: Task;
  targetClasses?: string[];
}

/**
 * Reads the pipeline's data, infers (or loads) its schema, profiles it and applies the
 * validation rules of the pipeline file, in one streaming pass over typed column batches (a CSV of
 * 64 MiB or more is scanned in a worker thread ahead of the analysis). `status` is `failed` when an
 * error-level anomaly exists and `validate.onFailure` is `fail`, `warned` when anomalies exist
 * but the run may go on, `passed` otherwise.
 */
export async function validateData(
  loaded: LoadedSpec,
  opts: ValidateDataOptions = {},
): Promise<DataValidationResult> {
  const { spec } = loaded;
  const source = dataSourceOf(loaded, opts.allowOutside ?? false);
  const schemaSource = spec.validate.schema;
  const rules = await analyzeOptionsFor(loaded, opts.allowOutside ?? false);
  const batches = readColumnBatches(source, opts.onProgress ? { onProgress: opts.onProgress } : {});
  const report = await analyzeBatches(batches, { ...rules, source: source.display });
  const hasError = report.anomalies.some((a) => a.severity === 'error');
  const status: ValidationStatus =
    hasError && spec.validate.onFailure === 'fail'
      ? 'failed'
      : report.anomalies.length > 0
        ? 'warned'
        : 'passed';
  return {
    status,
    source,
    rows: report.rows,
    schema: report.schema,
    schemaSource,
    profile: report.profile,
    anomalies: report.anomalies,
    ...(report.task ? { task: report.task } : {}),
    ...(report.targetClasses ? { targetClasses: report.targetClasses } : {}),
  };
}
