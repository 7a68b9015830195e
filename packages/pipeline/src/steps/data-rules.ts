import type { PipelineSpec } from '@myelin/spec';
import type { AnalyzeOptions, DataSchema } from '@myelin/data';

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
