import { MyelinError } from '../myelin-error.js';

/** The MyelinError `p` rejects with, for tests; rethrows any other error and fails when `p` resolves. */
export async function errorOf(p: Promise<unknown>): Promise<MyelinError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MyelinError) return e;
    throw e;
  }
  throw new Error('expected a MyelinError');
}
