import { MyelinError } from '@myelin/errors';
import type { FittedFeature, FittedPreprocessor } from './preprocess-config.js';

function bad(detail: string): never {
  throw new MyelinError('MYELIN_ERR_TRANSFORM', `invalid fitted preprocessor: ${detail}`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks a parsed JSON value (or a JSON string) and returns it as a `FittedPreprocessor`:
 * version 1, a known config, features of known kinds with consistent offsets and widths, and one
 * output name per column. Anything else throws MYELIN_ERR_TRANSFORM saying what is wrong.
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
  if (value.version !== 1) bad(`unsupported version ${JSON.stringify(value.version)} (this Myelin reads version 1)`);
  const config = value.config;
  if (!isObj(config) || !isObj(config.impute)) bad('config is missing');
  if (!['standard', 'minmax', 'none'].includes(config.scale as string)) bad(`config.scale ${String(config.scale)}`);
  if (!['onehot', 'index'].includes(config.encode as string)) bad(`config.encode ${String(config.encode)}`);
  if (!['error', 'ignore', 'mostFrequent'].includes(config.unseen as string)) bad(`config.unseen ${String(config.unseen)}`);
  if (!Array.isArray(value.features)) bad('features must be an array');
  if (!isNum(value.width) || !Array.isArray(value.outputNames) || value.outputNames.length !== value.width) {
    bad('width must equal the number of outputNames');
  }
  let offset = 0;
  value.features.forEach((f: unknown, i: number) => {
    const where = `features[${i}]`;
    if (!isObj(f) || typeof f.name !== 'string') bad(`${where} needs a name`);
    if (f.offset !== offset) bad(`${where} ("${f.name}") has offset ${String(f.offset)}, expected ${offset}`);
    if (f.kind === 'numeric') {
      if (!isNum(f.fill) || !isNum(f.center) || !isNum(f.scale) || f.scale === 0) {
        bad(`${where} ("${f.name}") needs finite fill, center and a non-zero scale`);
      }
      if (!['number', 'integer', 'datetime'].includes(f.source as string)) bad(`${where} has source ${String(f.source)}`);
      offset += 1;
    } else if (f.kind === 'boolean') {
      if (f.fill !== 0 && f.fill !== 1) bad(`${where} ("${f.name}") needs fill 0 or 1`);
      offset += 1;
    } else if (f.kind === 'category') {
      const cats = f.categories;
      if (!Array.isArray(cats) || cats.length === 0 || !cats.every((c) => typeof c === 'string')) {
        bad(`${where} ("${f.name}") needs a non-empty list of category strings`);
      }
      if (typeof f.fill !== 'string' || typeof f.mostFrequent !== 'string') bad(`${where} ("${f.name}") needs fill and mostFrequent`);
      const width = config.encode === 'onehot' ? cats.length : 1;
      if (f.width !== width) bad(`${where} ("${f.name}") has width ${String(f.width)}, expected ${width}`);
      offset += width;
    } else {
      bad(`${where} has unknown kind ${JSON.stringify(f.kind)}`);
    }
  });
  if (offset !== value.width) bad(`features cover ${offset} columns but width is ${String(value.width)}`);
  return value as unknown as FittedPreprocessor & { features: FittedFeature[] };
}
