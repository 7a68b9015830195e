import * as z from 'zod';
import { COLUMN_TYPES, type ColumnRule } from '@myelin/data/config';
import { SPEC_DEFAULTS } from '../defaults.js';
import { driftMetric } from './drift-metric.js';
import { bool, expected, fraction, listOf, num, oneOf, positiveNumber, str } from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

const D = SPEC_DEFAULTS.validate;

export { COLUMN_TYPES, type ColumnRule, type ColumnType } from '@myelin/data/config';

/** A rule for one data column under `validate.columns`. */
export const columnRuleSchema = mapping({
  type: oneOf(COLUMN_TYPES).optional().describe('The type every value must have.'),
  min: num().optional().describe('Smallest allowed value (numbers).'),
  max: num().optional().describe('Largest allowed value (numbers).'),
  nullable: bool().optional().describe('Whether missing values are allowed in this column.'),
  values: listOf(
    z.union([str('a string'), num()], { error: expected('a string') }).transform(String),
    'a list of allowed values',
  )
    .min(1, { error: expected('a non-empty list of allowed values') })
    .optional()
    .describe('The allowed values (categories).'),
}).superRefine((rule, ctx) => {
  if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
    addSpecIssue(ctx, ['min'], `min (${rule.min}) is greater than max (${rule.max})`);
  }
  const numeric = rule.type === undefined || rule.type === 'number' || rule.type === 'integer';
  for (const key of ['min', 'max'] as const) {
    if (rule[key] !== undefined && !numeric)
      addSpecIssue(ctx, [key], `${key} applies to number and integer columns, not ${rule.type}`);
  }
  if (
    rule.values !== undefined &&
    rule.type !== undefined &&
    rule.type !== 'category' &&
    rule.type !== 'string'
  ) {
    addSpecIssue(ctx, ['values'], `values applies to category and string columns, not ${rule.type}`);
  }
}) satisfies z.ZodType<ColumnRule>;

/** Compare incoming data with the data a deployed model was trained on. */
export const validateDriftSchema = mapping({
  against: str('a model alias').describe(
    'Alias of the model whose training data is the baseline, e.g. production.',
  ),
  metric: driftMetric().describe('Drift statistic per feature.'),
  threshold: positiveNumber().describe('Drift above this value fails (or warns, with onFailure: warn).'),
});

/** The `validate:` section: checks on the data before anything is fitted. */
export const validateSectionSchema = mapping({
  schema: str('infer or a path to a schema JSON file')
    .default(D.schema)
    .describe('"infer" to infer column types from the data, or a path to a schema JSON file.'),
  columns: z
    .record(str('a column name'), columnRuleSchema, { error: expected('a mapping of column name to rule') })
    .default(() => ({ ...D.columns }))
    .describe('Rules per column, keyed by column name.'),
  maxMissingFraction: fraction()
    .default(D.maxMissingFraction)
    .describe('Largest fraction of missing values allowed in any column.'),
  allowDuplicates: bool()
    .default(D.allowDuplicates)
    .describe(
      'Whether duplicate rows are accepted; when false they are a validation failure handled by onFailure.',
    ),
  onFailure: oneOf(['fail', 'warn'])
    .default(D.onFailure)
    .describe('fail stops the run; warn records the problems and goes on.'),
  drift: validateDriftSchema.optional().describe('Check the new data for drift against a deployed model.'),
});

export type ValidateSection = z.output<typeof validateSectionSchema>;
export type ValidateDrift = z.output<typeof validateDriftSchema>;
