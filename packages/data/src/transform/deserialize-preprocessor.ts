import { MyelinError } from '@myelin/errors';
import type {
  FittedFeature,
  FittedNumericFeature,
  FittedPreprocessor,
  PreprocessConfig,
} from './preprocess-config.js';

function bad(detail: string): never {
  throw new MyelinError('MYELIN_ERR_TRANSFORM', `invalid fitted preprocessor: ${detail}`);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** `v` when it is one of `allowed`, else a located error (`what` names the field). */
function oneOf<T extends string>(v: unknown, allowed: readonly T[], what: string): T {
  const hit = allowed.find((a) => a === v);
  return hit ?? bad(`${what} ${String(v)}`);
}

function readConfig(config: unknown): PreprocessConfig {
  if (!isObj(config) || !isObj(config.impute)) bad('config is missing');
  const { impute } = config;
  const { numericConstant, categoryConstant } = impute;
  if (numericConstant !== undefined && !isNum(numericConstant))
    bad('config.impute.numericConstant must be a number');
  if (categoryConstant !== undefined && !isStr(categoryConstant))
    bad('config.impute.categoryConstant must be a string');
  return {
    impute: {
      numeric: oneOf(impute.numeric, ['mean', 'median', 'constant'], 'config.impute.numeric'),
      category: oneOf(impute.category, ['mostFrequent', 'constant'], 'config.impute.category'),
      ...(numericConstant !== undefined ? { numericConstant } : {}),
      ...(categoryConstant !== undefined ? { categoryConstant } : {}),
    },
    scale: oneOf(config.scale, ['standard', 'minmax', 'none'], 'config.scale'),
    encode: oneOf(config.encode, ['onehot', 'index'], 'config.encode'),
    unseen: oneOf(config.unseen, ['error', 'ignore', 'mostFrequent'], 'config.unseen'),
  };
}

function readStats(stats: unknown, where: string): FittedNumericFeature['stats'] {
  if (!isObj(stats)) bad(`${where} needs its training stats`);
  const { count, mean, std, min, max, median } = stats;
  if (!isNum(count) || !isNum(mean) || !isNum(std) || !isNum(min) || !isNum(max) || !isNum(median))
    bad(`${where} needs finite stats count, mean, std, min, max and median`);
  return { count, mean, std, min, max, median };
}

/** The feature at `offset` (its first output column), checked field by field. */
function readFeature(
  f: unknown,
  i: number,
  offset: number,
  encode: PreprocessConfig['encode'],
): FittedFeature {
  const where = `features[${i}]`;
  if (!isObj(f) || !isStr(f.name)) bad(`${where} needs a name`);
  const { name } = f;
  if (f.offset !== offset) bad(`${where} ("${name}") has offset ${String(f.offset)}, expected ${offset}`);
  if (f.kind === 'numeric') {
    const { fill, center, scale } = f;
    if (!isNum(fill) || !isNum(center) || !isNum(scale) || scale === 0) {
      bad(`${where} ("${name}") needs finite fill, center and a non-zero scale`);
    }
    const source = oneOf(f.source, ['number', 'integer', 'datetime'], `${where} has source`);
    return { name, kind: 'numeric', source, fill, center, scale, stats: readStats(f.stats, where), offset };
  }
  if (f.kind === 'boolean') {
    if (f.fill !== 0 && f.fill !== 1) bad(`${where} ("${name}") needs fill 0 or 1`);
    return { name, kind: 'boolean', fill: f.fill, offset };
  }
  if (f.kind === 'category') {
    const { categories, fill, mostFrequent } = f;
    if (!Array.isArray(categories) || categories.length === 0 || !categories.every(isStr)) {
      bad(`${where} ("${name}") needs a non-empty list of category strings`);
    }
    if (!isStr(fill) || !isStr(mostFrequent)) bad(`${where} ("${name}") needs fill and mostFrequent`);
    const width = encode === 'onehot' ? categories.length : 1;
    if (f.width !== width) bad(`${where} ("${name}") has width ${String(f.width)}, expected ${width}`);
    return { name, kind: 'category', categories, mostFrequent, fill, offset, width };
  }
  return bad(`${where} has unknown kind ${JSON.stringify(f.kind)}`);
}

/**
 * Checks a parsed JSON value (or a JSON string) and returns it as a `FittedPreprocessor`:
 * version 1, a known config, features of known kinds with consistent offsets and widths, and one
 * output name per column. Anything else throws MYELIN_ERR_TRANSFORM saying what is wrong. The
 * result is built field by field from what was checked (no field is taken on trust).
 *
 * @example
 * const fp = deserializePreprocessor(JSON.parse(await store.getText(key)));
 */
export function deserializePreprocessor(json: unknown): FittedPreprocessor {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (e) {
      bad(`not JSON (${(e as Error).message})`);
    }
  }
  if (!isObj(value)) bad('expected an object');
  if (value.version !== 1)
    bad(`unsupported version ${JSON.stringify(value.version)} (this Myelin reads version 1)`);
  const config = readConfig(value.config);
  const { features, width, outputNames } = value;
  if (!Array.isArray(features)) bad('features must be an array');
  if (!isNum(width) || !Array.isArray(outputNames) || outputNames.length !== width) {
    bad('width must equal the number of outputNames');
  }
  if (!outputNames.every(isStr)) bad('outputNames must be strings');
  let offset = 0;
  const read = features.map((f: unknown, i: number) => {
    const feature = readFeature(f, i, offset, config.encode);
    offset += feature.kind === 'category' ? feature.width : 1;
    return feature;
  });
  if (offset !== width) bad(`features cover ${offset} columns but width is ${String(width)}`);
  return { version: 1, config, features: read, outputNames, width };
}
