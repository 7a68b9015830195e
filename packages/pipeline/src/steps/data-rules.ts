import type { LoadedSpec, PipelineSpec } from '@myelin/spec';
import {
  readSchemaFile,
  resolveLocalPath,
  resolveSource,
  type AnalyzeOptions,
  type DataSchema,
  type ResolvedSource,
} from '@myelin/data';

/**
 * Maps the pipeline file's `data` and `validate` sections onto the data package's analysis options.
 * The one place where spec field names meet data-package option names.
 */
export function dataRulesFromSpec(spec: PipelineSpec, schema?: DataSchema): AnalyzeOptions {
  const opts: AnalyzeOptions = {
    target: spec.data.target,
    columns: spec.validate.columns,
    maxMissingFraction: spec.validate.maxMissingFraction,
    allowDuplicates: spec.validate.allowDuplicates,
  };
  if (spec.task) opts.task = spec.task;
  if (spec.data.features) opts.features = spec.data.features;
  if (schema) opts.schema = schema;
  return opts;
}

/**
 * The file `validate.schema` names (null for `infer`), under the same folder rule as `data.source`:
 * inside the pipeline file's folder unless `allowOutside`, never a system path.
 * @throws MyelinError MYELIN_ERR_DATA_PATH_OUTSIDE / MYELIN_ERR_DATA_READ located at `validate.schema`
 */
export function schemaPathOf(loaded: LoadedSpec, allowOutside: boolean, outsideHint?: string): string | null {
  const s = loaded.spec.validate.schema;
  if (s === 'infer') return null;
  return resolveLocalPath(s, {
    baseDir: loaded.dir,
    allowOutside,
    field: 'validate.schema',
    ...(outsideHint ? { outsideHint } : {}),
  });
}

/**
 * The analysis options of a loaded pipeline, with `validate.schema` read when it names a file
 * (relative to the pipeline, same folder rule as `data.source`, size-capped, never echoed).
 */
export async function analyzeOptionsFor(loaded: LoadedSpec, allowOutside = false): Promise<AnalyzeOptions> {
  const path = schemaPathOf(loaded, allowOutside);
  const schema =
    path === null ? undefined : await readSchemaFile(path, { display: loaded.spec.validate.schema });
  return dataRulesFromSpec(loaded.spec, schema);
}

/** Where a loaded pipeline's `data.source` points, resolved against the pipeline file's folder. */
export function dataSourceOf(
  loaded: LoadedSpec,
  allowOutside: boolean,
  outsideHint?: string,
): ResolvedSource {
  const { data } = loaded.spec;
  return resolveSource(data.source, {
    baseDir: loaded.dir,
    allowOutside,
    ...(data.format ? { format: data.format } : {}),
    ...(outsideHint ? { outsideHint } : {}),
  });
}

/**
 * Checks every path the pipeline file names (`data.source`, `validate.schema`) against the folder
 * rule without reading anything: what the queue API runs before it accepts a run. `outsideHint`
 * replaces the CLI's "allow it with --allow-outside-data" in the message.
 * @throws MyelinError MYELIN_ERR_DATA_PATH_OUTSIDE / MYELIN_ERR_DATA_READ / MYELIN_ERR_DATA_FORMAT located at the field
 */
export function checkDataPaths(loaded: LoadedSpec, allowOutside: boolean, outsideHint?: string): void {
  // an s3:// source names no local file: ingest lists and reads it
  if (!/^s3:\/\//i.test(loaded.spec.data.source)) dataSourceOf(loaded, allowOutside, outsideHint);
  schemaPathOf(loaded, allowOutside, outsideHint);
}
