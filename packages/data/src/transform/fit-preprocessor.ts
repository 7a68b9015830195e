import { MyelinError } from '@myelin/errors';
import type { ColumnSchema, DataSchema, Row } from '../types.js';
import type {
  FittedBooleanFeature,
  FittedCategoryFeature,
  FittedFeature,
  FittedNumericFeature,
  FittedPreprocessor,
  PreprocessConfig,
} from './preprocess-config.js';
import { firstPass, numericFeatureStats } from './numeric-feature-stats.js';
import { isMissing, readBoolean, readCategory, readDatetime, readNumber } from './read-value.js';

export interface FitPreprocessorOptions {
  /** Feature columns in output order (the pipeline's `data.features`). */
  features: string[];
  schema: DataSchema;
  config: PreprocessConfig;
}

/**
 * Fits the preprocessing on the training rows and returns it as a JSON-serialisable object.
 *
 * Per feature, by schema type:
 * - number / integer / datetime (epoch ms): statistics over the non-missing values; missing is
 *   filled with the mean, median or `numericConstant` (a column with no values at all falls back to
 *   `numericConstant ?? 0`); then scaled: standard (population std), minmax, or none. A spread of
 *   0 (constant column) scales by 1.
 * - boolean: 0/1; missing → the most frequent training value (0 when none).
 * - category: sorted categories (schema domain ∪ training values); missing → most frequent
 *   (ties: first in sort order) or `categoryConstant`; one-hot or index.
 * - string (free text): rejected with MYELIN_ERR_TRANSFORM — declare it a category or drop it.
 *
 * @example
 * const fp = fitPreprocessor(trainRows, { features: ['Island', 'Body Mass (g)'], schema, config });
 * fp.outputNames; // ['Island=Biscoe', 'Island=Dream', 'Island=Torgersen', 'Body Mass (g)']
 */
export function fitPreprocessor(rows: readonly Row[], opts: FitPreprocessorOptions): FittedPreprocessor {
  const { features, schema, config } = opts;
  const fitted: FittedFeature[] = [];
  const outputNames: string[] = [];
  let offset = 0;
  for (const name of features) {
    const column = schema.columns.find((c) => c.name === name);
    if (!column) {
      throw new MyelinError('MYELIN_ERR_DATA_COLUMN_MISSING', `feature "${name}" is not in the data schema`, {
        dataColumn: name,
        path: 'data.features',
      });
    }
    const feature = fitFeature(rows, column, config, offset);
    fitted.push(feature);
    if (feature.kind === 'category' && config.encode === 'onehot') {
      for (const c of feature.categories) outputNames.push(`${name}=${c}`);
    } else {
      outputNames.push(name);
    }
    offset = outputNames.length;
  }
  return { version: 1, config: structuredClone(config), features: fitted, outputNames, width: offset };
}

function fitFeature(
  rows: readonly Row[],
  column: ColumnSchema,
  config: PreprocessConfig,
  offset: number,
): FittedFeature {
  const name = column.name;
  switch (column.type) {
    case 'number':
    case 'integer':
    case 'datetime':
      return fitNumeric(rows, column, config, offset);
    case 'boolean':
      return fitBoolean(rows, name, offset);
    case 'category':
      return fitCategory(rows, column, config, offset);
    case 'string':
      throw new MyelinError(
        'MYELIN_ERR_TRANSFORM',
        `column "${name}" has type string (free text) and cannot be a feature: use type category or drop it from data.features`,
        { dataColumn: name, path: 'data.features' },
      );
  }
}

function fitNumeric(
  rows: readonly Row[],
  column: ColumnSchema,
  config: PreprocessConfig,
  offset: number,
): FittedNumericFeature {
  const source = column.type as FittedNumericFeature['source'];
  const read = source === 'datetime' ? readDatetime : readNumber;
  const values: number[] = [];
  rows.forEach((row, index) => {
    const v = row[column.name];
    if (!isMissing(v)) values.push(read(v, { column: column.name, index }));
  });
  const stats = numericStats(values);
  const constant = config.impute.numericConstant ?? 0;
  const fill =
    values.length === 0
      ? constant
      : config.impute.numeric === 'mean'
        ? stats.mean
        : config.impute.numeric === 'median'
          ? stats.median
          : constant;
  let center = 0;
  let scale = 1;
  if (values.length > 0 && config.scale === 'standard') {
    center = stats.mean;
    scale = stats.std > 0 ? stats.std : 1;
  } else if (values.length > 0 && config.scale === 'minmax') {
    center = stats.min;
    scale = stats.max - stats.min > 0 ? stats.max - stats.min : 1;
  }
  return { name: column.name, kind: 'numeric', source, fill, center, scale, stats, offset };
}

/** The statistics of a numeric feature's training values, as the columnar fit computes them (bit for bit). */
function numericStats(values: number[]): FittedNumericFeature['stats'] {
  const v = Float64Array.from(values);
  return numericFeatureStats(v, firstPass(v));
}

function fitBoolean(rows: readonly Row[], name: string, offset: number): FittedBooleanFeature {
  let ones = 0;
  let zeros = 0;
  rows.forEach((row, index) => {
    const v = row[name];
    if (isMissing(v)) return;
    if (readBoolean(v, { column: name, index })) ones++;
    else zeros++;
  });
  return { name, kind: 'boolean', fill: ones > zeros ? 1 : 0, offset };
}

function fitCategory(
  rows: readonly Row[],
  column: ColumnSchema,
  config: PreprocessConfig,
  offset: number,
): FittedCategoryFeature {
  const name = column.name;
  const counts = new Map<string, number>();
  rows.forEach((row, index) => {
    const v = row[name];
    if (isMissing(v)) return;
    const label = readCategory(v, { column: name, index });
    counts.set(label, (counts.get(label) ?? 0) + 1);
  });
  const domain = new Set<string>([...(column.values ?? []), ...counts.keys()]);
  let fill: string | undefined;
  if (config.impute.category === 'constant') {
    fill = config.impute.categoryConstant;
    if (fill === undefined) {
      throw new MyelinError(
        'MYELIN_ERR_TRANSFORM',
        'impute.category is constant but impute.categoryConstant is not set',
        {
          path: 'preprocess.impute.categoryConstant',
        },
      );
    }
    domain.add(fill);
  }
  const categories = [...domain].sort(compareStrings);
  if (categories.length === 0) {
    throw new MyelinError(
      'MYELIN_ERR_TRANSFORM',
      `category column "${name}" has no values in the training rows`,
      {
        dataColumn: name,
      },
    );
  }
  let mostFrequent = categories[0] as string;
  let best = -1;
  for (const c of categories) {
    const n = counts.get(c) ?? 0;
    if (n > best) {
      best = n;
      mostFrequent = c;
    }
  }
  const width = config.encode === 'onehot' ? categories.length : 1;
  return { name, kind: 'category', categories, mostFrequent, fill: fill ?? mostFrequent, offset, width };
}

/** Code-unit order, the same on every machine and locale. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
