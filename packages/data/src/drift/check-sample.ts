import { MyelinError } from '@myelin/errors';

/** Throws unless `values` is a non-empty array of numbers without NaN (drift inputs). */
export function checkSample(values: readonly number[], what: string): void {
  if (values.length === 0) throw new MyelinError('MYELIN_ERR_INTERNAL', `${what}: the sample is empty`);
  for (const v of values) {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new MyelinError('MYELIN_ERR_INTERNAL', `${what}: samples must hold numbers without NaN, got ${String(v)}`);
    }
  }
}
