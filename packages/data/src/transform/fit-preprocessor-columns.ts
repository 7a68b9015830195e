import { MyelinError } from '@myelin/errors';
import { type ColumnVector, TAG_FALSE, TAG_NUMBER, TAG_STRING, TAG_TRUE } from '../io/column-vector.js';
import type { ColumnSchema } from '../types.js';
import type { FitPreprocessorOptions } from './fit-preprocessor.js';
import type {
  FittedBooleanFeature,
  FittedCategoryFeature,
  FittedFeature,
  FittedNumericFeature,
  FittedPreprocessor,
  PreprocessConfig,
} from './preprocess-config.js';
import { numericFeatureStats } from './numeric-feature-stats.js';
import { readBoolean, readCategory, readDatetime, readNumber } from './read-value.js';

/** Rows of a column: record k is `vector` row `rows[k]`. */
export interface RowsOfColumn {
  vector: ColumnVector;
  rows: ArrayLike<number>;
}

/**
 * `fitPreprocessor` on columns instead of records: `column(name)` gives the training rows' cells
 * of one feature as a vector (asked once per feature, in feature order, so a caller can build one
 * column at a time). The result is the same `FittedPreprocessor`: the same readers
 * (`readNumber`, `readCategory`…) decide each distinct value, the same categories, fills and
 * errors with the same record indices, and the same statistics up to the last few bits of the
 * mean and std (see `numericFeatureStats`: linear time instead of a sort).
 *
 * `column` may give a whole column and which of its rows are the training rows (in order), to
 * spare the copy of those rows: the fit is the same, and errors name the position in `rows`.
 *
 * `onFeature` hears of each feature as soon as it is fitted (its offset final), before the next
 * column is asked for: a caller that reads the whole column to give its training rows can encode
 * it then, with no second read.
 *
 * @example
 * const fp = fitPreprocessorColumns((name) => trainColumn(name), { features, schema, config });
 */
export function fitPreprocessorColumns(
  column: (name: string) => ColumnVector | RowsOfColumn,
  opts: FitPreprocessorOptions,
  onFeature?: (feature: FittedFeature) => void,
): FittedPreprocessor {
  const { features, schema, config } = opts;
  const fitted: FittedFeature[] = [];
  const outputNames: string[] = [];
  let offset = 0;
  const scratch: { values: Float64Array } = { values: new Float64Array(0) };
  for (const name of features) {
    const col = schema.columns.find((c) => c.name === name);
    if (!col) {
      throw new MyelinError('MYELIN_ERR_DATA_COLUMN_MISSING', `feature "${name}" is not in the data schema`, {
        dataColumn: name,
        path: 'data.features',
      });
    }
    if (col.type === 'string') {
      throw new MyelinError(
        'MYELIN_ERR_TRANSFORM',
        `column "${name}" has type string (free text) and cannot be a feature: use type category or drop it from data.features`,
        { dataColumn: name, path: 'data.features' },
      );
    }
    const got = column(name);
    const v = 'vector' in got ? got.vector : got;
    const rows = 'vector' in got ? got.rows : null;
    const feature =
      col.type === 'boolean'
        ? fitBoolean(v, rows, name, offset)
        : col.type === 'category'
          ? fitCategory(v, rows, col, config, offset)
          : fitNumeric(v, rows, col, config, offset, scratch);
    fitted.push(feature);
    onFeature?.(feature);
    if (feature.kind === 'category' && config.encode === 'onehot') {
      for (const c of feature.categories) outputNames.push(`${name}=${c}`);
    } else {
      outputNames.push(name);
    }
    offset = outputNames.length;
  }
  return { version: 1, config: structuredClone(config), features: fitted, outputNames, width: offset };
}

function fitNumeric(
  v: ColumnVector,
  rows: ArrayLike<number> | null,
  column: ColumnSchema,
  config: PreprocessConfig,
  offset: number,
  scratch: { values: Float64Array },
): FittedNumericFeature {
  const name = column.name;
  const source = column.type as FittedNumericFeature['source'];
  const read = source === 'datetime' ? readDatetime : readNumber;
  const n = rows ? rows.length : v.length;
  if (scratch.values.length < n) scratch.values = new Float64Array(n);
  const values = scratch.values;
  let count = 0;
  const perString = new Float64Array(v.dictionary.length).fill(NaN);
  const tags = v.tags;
  const numbers = v.numbers as Float64Array;
  // numericFeatureStats' first pass (`firstPass`), done as the values are gathered: the same sums in the same order
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let carry = 0;
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    const tag = tags[i];
    let x: number;
    if (tag === TAG_NUMBER) {
      x = numbers[i] as number;
      if (x !== x) continue; // NaN: missing
      if (x - x !== 0) x = read(x, { column: name, index: k });
    } else if (tag === TAG_STRING) {
      const code = (v.codes as Int32Array)[i] as number;
      const s = v.dictionary[code] as string;
      if (s === '') continue;
      x = perString[code] as number;
      if (x !== x) perString[code] = x = read(s, { column: name, index: k });
    } else if (tag === TAG_TRUE || tag === TAG_FALSE) {
      x = read(tag === TAG_TRUE, { column: name, index: k });
    } else continue;
    values[count++] = x;
    if (x < min) min = x;
    if (x > max) max = x;
    const t = sum + x;
    if (t - t === 0) carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  const stats = numericFeatureStats(values.subarray(0, count), { min, max, sum, carry });
  const constant = config.impute.numericConstant ?? 0;
  const fill =
    count === 0
      ? constant
      : config.impute.numeric === 'mean'
        ? stats.mean
        : config.impute.numeric === 'median'
          ? stats.median
          : constant;
  let center = 0;
  let scale = 1;
  if (count > 0 && config.scale === 'standard') {
    center = stats.mean;
    scale = stats.std > 0 ? stats.std : 1;
  } else if (count > 0 && config.scale === 'minmax') {
    center = stats.min;
    scale = stats.max - stats.min > 0 ? stats.max - stats.min : 1;
  }
  return { name, kind: 'numeric', source, fill, center, scale, stats, offset };
}

function fitBoolean(
  v: ColumnVector,
  rows: ArrayLike<number> | null,
  name: string,
  offset: number,
): FittedBooleanFeature {
  let ones = 0;
  let zeros = 0;
  const perString = new Int8Array(v.dictionary.length).fill(-1);
  const n = rows ? rows.length : v.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    const tag = v.tags[i];
    let b: number;
    if (tag === TAG_TRUE) b = 1;
    else if (tag === TAG_FALSE) b = 0;
    else if (tag === TAG_NUMBER) {
      const x = (v.numbers as Float64Array)[i] as number;
      if (x !== x) continue;
      b = readBoolean(x, { column: name, index: k });
    } else if (tag === TAG_STRING) {
      const code = (v.codes as Int32Array)[i] as number;
      const s = v.dictionary[code] as string;
      if (s === '') continue;
      b = perString[code] as number;
      if (b < 0) perString[code] = b = readBoolean(s, { column: name, index: k });
    } else continue;
    if (b === 1) ones++;
    else zeros++;
  }
  return { name, kind: 'boolean', fill: ones > zeros ? 1 : 0, offset };
}

function fitCategory(
  v: ColumnVector,
  rows: ArrayLike<number> | null,
  column: ColumnSchema,
  config: PreprocessConfig,
  offset: number,
): FittedCategoryFeature {
  const name = column.name;
  const counts = new Map<string, number>();
  const add = (label: string, n: number): void => {
    counts.set(label, (counts.get(label) ?? 0) + n);
  };
  const perCode = new Float64Array(v.dictionary.length);
  const numbers = new Map<number, number>();
  let trues = 0;
  let falses = 0;
  const n = rows ? rows.length : v.length;
  for (let k = 0; k < n; k++) {
    const i = rows ? (rows[k] as number) : k;
    const tag = v.tags[i];
    if (tag === TAG_STRING) (perCode[(v.codes as Int32Array)[i] as number] as number)++;
    else if (tag === TAG_NUMBER) {
      const x = (v.numbers as Float64Array)[i] as number;
      if (x === x) numbers.set(x, (numbers.get(x) ?? 0) + 1);
    } else if (tag === TAG_TRUE) trues++;
    else if (tag === TAG_FALSE) falses++;
  }
  v.dictionary.forEach((s, code) => {
    const n = perCode[code] as number;
    if (n > 0 && s !== '') add(readCategory(s, { column: name }), n);
  });
  for (const [x, n] of numbers) add(readCategory(x, { column: name }), n);
  if (trues > 0) add('true', trues);
  if (falses > 0) add('false', falses);
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
