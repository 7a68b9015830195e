import * as z from 'zod';
import { DATA_FORMATS, formatOfExtension, type DataFormat } from '@myelin/data/config';
import { SPEC_DEFAULTS } from '../defaults.js';
import { bool, expected, listOf, nonNegativeInt, num, oneOf, positiveInt, str } from './fields.js';
import { mapping } from './mapping.js';
import { addSpecIssue } from './spec-issue.js';

export { DATA_FORMATS, type DataFormat } from '@myelin/data/config';

const D = SPEC_DEFAULTS.data.split;
const splitPart = () => num({ min: 0, max: 1, minExclusive: true, maxExclusive: true });

/** How rows are split into train / validation / test. */
export const splitSchema = mapping({
  train: splitPart().default(D.train).describe('Fraction of rows for training, in (0, 1).'),
  validation: splitPart().default(D.validation).describe('Fraction of rows for validation, in (0, 1).'),
  test: splitPart().default(D.test).describe('Fraction of rows held out for the final test, in (0, 1).'),
  seed: nonNegativeInt().default(D.seed).describe('Seed of the shuffle, so the split is reproducible.'),
  stratify: bool()
    .default(D.stratify)
    .describe('Keep class proportions equal across the parts (classification).'),
}).superRefine((split, ctx) => {
  const sum = split.train + split.validation + split.test;
  if (Math.abs(sum - 1) > 1e-6) {
    addSpecIssue(
      ctx,
      [],
      `train + validation + test must sum to 1, got ${split.train} + ${split.validation} + ${split.test} = ${Number(sum.toFixed(6))}`,
    );
  }
});

const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const NPM_SOURCE = /^npm:(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*\/[^/].*$/i;

/** Checks the form of `data.source`; returns a message when it is not usable. */
function sourceProblem(source: string): string | undefined {
  const scheme = URL_SCHEME.exec(source)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme === 'file') return source.length > 'file://'.length ? undefined : 'a file:// URL needs a path';
    if (scheme === 's3') return /^s3:\/\/[^/]+\/.+/i.test(source) ? undefined : 'expected s3://bucket/key';
    return `unsupported source scheme "${scheme}://"; use a relative path, file://, s3://bucket/key or npm:<package>/<path>`;
  }
  if (source.startsWith('npm:') && !NPM_SOURCE.test(source)) {
    return 'expected npm:<package>/<path to a file inside the package>, e.g. npm:vega-datasets/data/penguins.json';
  }
  return undefined;
}

/** The format named by a source's file extension (the data package's one table), if any. */
export function formatFromExtension(source: string): DataFormat | undefined {
  return formatOfExtension(source)?.format;
}

/** The `data:` section: where the rows come from and how they are split. */
export const dataSectionSchema = mapping({
  source: str('a path, file:// URL, s3://bucket/key or npm:<package>/<path>')
    .superRefine((source, ctx) => {
      const problem = sourceProblem(source);
      if (problem) addSpecIssue(ctx, [], problem);
    })
    .describe(
      'Where the data is: a path relative to the pipeline file, a file:// URL, s3://bucket/key, or npm:<package>/<path> (a file shipped inside an npm package).',
    ),
  format: oneOf(DATA_FORMATS).optional().describe('File format; by default taken from the file extension.'),
  target: str('a column name').describe('The column to predict.'),
  features: listOf(str('a column name'), 'a list of column names')
    .optional()
    .describe('Columns used as model inputs; by default every column but the target.'),
  shape: listOf(positiveInt(), 'a list of positive integers, e.g. [8, 8, 1]')
    .min(1, { error: expected('a non-empty list of positive integers, e.g. [8, 8, 1]') })
    .optional()
    .describe(
      'Reshape each row of pixel features to this image shape, e.g. [8, 8, 1] (rows, cols, channels).',
    ),
  split: splitSchema.prefault({}).describe('How rows are split into train, validation and test.'),
})
  .superRefine((data, ctx) => {
    if (data.format === undefined && formatFromExtension(data.source) === undefined) {
      addSpecIssue(
        ctx,
        ['source'],
        `cannot tell the format from "${data.source}"; set data.format to one of ${DATA_FORMATS.join(', ')}`,
      );
    }
    const seen = new Set<string>();
    data.features?.forEach((feature, i) => {
      if (feature === data.target)
        addSpecIssue(ctx, ['features', i], `the target "${feature}" cannot also be a feature`);
      else if (seen.has(feature)) addSpecIssue(ctx, ['features', i], `feature "${feature}" is listed twice`);
      seen.add(feature);
    });
  })
  .transform((data) => ({
    ...data,
    format: data.format ?? (formatFromExtension(data.source) as DataFormat),
  }));

export type DataSection = z.output<typeof dataSectionSchema>;
export type DataSplit = z.output<typeof splitSchema>;
