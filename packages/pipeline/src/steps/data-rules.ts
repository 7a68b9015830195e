import { isAbsolute, resolve } from 'node:path';
import type { LoadedSpec, PipelineSpec } from '@myelin/spec';
import {
  readSchemaFile,
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

/** The analysis options of a loaded pipeline, with `validate.schema` read when it names a file (relative to the pipeline). */
export async function analyzeOptionsFor(loaded: LoadedSpec): Promise<AnalyzeOptions> {
  const s = loaded.spec.validate.schema;
  const schema = s === 'infer' ? undefined : await readSchemaFile(isAbsolute(s) ? s : resolve(loaded.dir, s));
  return dataRulesFromSpec(loaded.spec, schema);
}

/** Where a loaded pipeline's `data.source` points, resolved against the pipeline file's folder. */
export function dataSourceOf(loaded: LoadedSpec, allowOutside: boolean): ResolvedSource {
  const { data } = loaded.spec;
  return resolveSource(data.source, {
    baseDir: loaded.dir,
    allowOutside,
    ...(data.format ? { format: data.format } : {}),
  });
}
