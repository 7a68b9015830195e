import { MyelinError } from '@myelin/errors';
import type { TargetEncoder } from './target-encoder.js';

function bad(detail: string): never {
  throw new MyelinError('MYELIN_ERR_TRANSFORM', `invalid target encoder: ${detail}`);
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const LABEL_TYPES = ['string', 'number', 'boolean'] as const;

/**
 * Checks a parsed JSON value (the `target-encoder` file a model version lists) and returns it as
 * the `TargetEncoder` it was written from: version 1, a classification encoder with its class
 * labels and their JS type, or a regression encoder with its mean and a non-zero std. Anything else
 * throws MYELIN_ERR_TRANSFORM saying which field is wrong. Built field by field from what was checked.
 *
 * @example const enc = parseTargetEncoder(JSON.parse(text)); // { version: 1, task: 'multiclass', … }
 */
export function parseTargetEncoder(value: unknown): TargetEncoder {
  if (!isObj(value)) return bad('expected an object');
  if (value.version !== 1)
    bad(`unsupported version ${JSON.stringify(value.version)} (this Myelin reads version 1)`);
  const { task } = value;
  if (task === 'binary' || task === 'multiclass') {
    const { classes, labelType } = value;
    if (!Array.isArray(classes) || !classes.every((c) => typeof c === 'string'))
      return bad('classes must be a list of strings');
    if (task === 'binary' && classes.length !== 2)
      bad(`a binary target has 2 classes, not ${classes.length}`);
    const type = LABEL_TYPES.find((t) => t === labelType);
    if (!type) return bad(`labelType must be one of ${LABEL_TYPES.join(', ')}`);
    return { version: 1, task, classes, labelType: type };
  }
  if (task === 'regression') {
    const { standardize, mean, std } = value;
    if (typeof standardize !== 'boolean') bad('standardize must be true or false');
    if (typeof mean !== 'number' || !Number.isFinite(mean)) return bad('mean must be a finite number');
    if (typeof std !== 'number' || !Number.isFinite(std) || std === 0)
      return bad('std must be a finite non-zero number');
    return { version: 1, task, standardize, mean, std };
  }
  return bad(`task must be binary, multiclass or regression, not ${JSON.stringify(task)}`);
}
