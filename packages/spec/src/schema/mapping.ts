import * as z from 'zod';
import { mappingError } from './spec-issue.js';

/** A strict mapping: unknown keys are errors, wrong kinds say "expected a mapping". */
export function mapping<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: mappingError });
}
