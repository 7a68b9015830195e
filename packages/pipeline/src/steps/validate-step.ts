import { analyzeBatches } from '@myelin/data';
import { MyelinError } from '@myelin/errors';
import type { StepContext } from '../run/step-context.js';
import { input } from '../run/step-context.js';
import type { TypedStep } from './step-definition.js';
import type { ValidateOutputs } from './step-outputs.js';
import { analyzeOptionsFor, schemaPathOf } from './data-rules.js';
import { requireFile } from './pipeline-field.js';
import { validationVerdict } from './validation-verdict.js';
import { fileSha256 } from '../util/file-sha256.js';
import { putJson } from '../util/json-artifacts.js';
import { datasetBatches } from '../util/dataset-artifacts.js';

/**
 * Validates the ingested dataset against the pipeline's rules in one streaming pass over its Arrow
 * parts (typed columns, one batch in memory); stores the report (schema, profile, anomalies).
 */
export const validateStep: TypedStep<'validate'> = {
  name: 'validate',
  async cacheKey(ctx) {
    // the schema file's content, not its path: an edited schema is a new validation
    const schemaPath = schemaPathOf(ctx.loaded, ctx.options.allowOutside);
    if (schemaPath !== null)
      await requireFile(ctx.loaded, 'validate.schema', schemaPath, ctx.spec.validate.schema);
    return {
      validate: ctx.spec.validate,
      schemaFile: schemaPath === null ? null : await fileSha256(schemaPath),
      target: ctx.spec.data.target,
      features: ctx.spec.data.features ?? null,
      task: ctx.spec.task ?? null,
    };
  },
  async run(ctx: StepContext): Promise<ValidateOutputs> {
    const batches = datasetBatches(ctx.store, input(ctx, 'ingest', 'dataset'));
    const report = await analyzeBatches(batches, {
      ...(await analyzeOptionsFor(ctx.loaded, ctx.options.allowOutside)),
      source: input(ctx, 'ingest', 'source'),
    });
    const errors = report.anomalies.filter((a) => a.severity === 'error');
    const reportKey = await putJson(ctx.store, report);
    const outputs: ValidateOutputs = {
      report: reportKey,
      task: ctx.spec.task ?? report.task ?? null,
      classes: report.targetClasses ?? null,
      anomalies: report.anomalies.length,
      errors: errors.length,
    };
    for (const a of report.anomalies)
      ctx.log(`${a.severity}: ${a.column === '*' ? 'table' : `"${a.column}"`} ${a.rule}: ${a.message}`, { notice: true });
    if (errors.length > 0 && ctx.spec.validate.onFailure === 'warn')
      ctx.log(validationVerdict('warned', report.anomalies).text, { notice: true });
    if (ctx.spec.task === undefined && report.task !== undefined)
      ctx.log(`task: ${report.task}, inferred from the target "${ctx.spec.data.target}"${report.targetClasses ? ` (${report.targetClasses.length} classes)` : ''}; set task: to choose`, { notice: true });
    if (errors.length > 0 && ctx.spec.validate.onFailure === 'fail') {
      const list = errors.map((a) => `${a.column} (${a.rule}, ${a.count})`).join(', ');
      throw new MyelinError(
        'MYELIN_ERR_VALIDATION_FAILED',
        `data validation failed: ${list}`,
        { file: ctx.loaded.file, path: 'validate' },
        { cause: outputs },
      );
    }
    return outputs;
  },
};
