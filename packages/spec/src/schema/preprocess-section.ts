import type * as z from 'zod';
import { SPEC_DEFAULTS } from '../defaults.js';
import { num, oneOf, str } from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

const D = SPEC_DEFAULTS.preprocess;

/** How missing values are filled, fitted on the training split. */
export const imputeSchema = mapping({
  numeric: oneOf(['mean', 'median', 'constant'])
    .default(D.impute.numeric)
    .describe('Fill for numeric columns.'),
  category: oneOf(['mostFrequent', 'constant'])
    .default(D.impute.category)
    .describe('Fill for category columns.'),
  numericConstant: num().optional().describe('The value used when numeric: constant.'),
  categoryConstant: str('a string').optional().describe('The value used when category: constant.'),
}).superRefine((impute, ctx) => {
  if (impute.numeric === 'constant' && impute.numericConstant === undefined) {
    addSpecIssue(ctx, ['numeric'], 'numeric: constant needs numericConstant');
  }
  if (impute.category === 'constant' && impute.categoryConstant === undefined) {
    addSpecIssue(ctx, ['category'], 'category: constant needs categoryConstant');
  }
});

/** The `preprocess:` section: transforms fitted on the training split and replayed when serving. */
export const preprocessSectionSchema = mapping({
  impute: imputeSchema.prefault({}).describe('How missing values are filled.'),
  scale: oneOf(['standard', 'minmax', 'none']).default(D.scale).describe('Scaling of numeric features.'),
  encode: oneOf(['onehot', 'index']).default(D.encode).describe('Encoding of category features.'),
  unseen: oneOf(['error', 'ignore', 'mostFrequent'])
    .default(D.unseen)
    .describe(
      'A category not seen in training: error rejects the row, ignore encodes it as all zeros, mostFrequent maps it to the most frequent category.',
    ),
});

export type PreprocessSection = z.output<typeof preprocessSectionSchema>;
export type ImputeSettings = z.output<typeof imputeSchema>;
