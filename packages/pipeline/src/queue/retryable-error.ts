import type { ErrorCode } from '@myelin/errors';

/** Failures a retry cannot fix: bad input, failed checks, a cancelled run. */
const PERMANENT =
  /^MYELIN_ERR_(SPEC_|DATA_|VALIDATION_FAILED|TRANSFORM|GATE_FAILED|RUN_CANCELLED|BACKEND$|ARTIFACT_KEY|ARTIFACT_INTEGRITY|QUEUE_PAYLOAD|REGISTRY_NOT_FOUND|USAGE)/;

/**
 * True when a step that failed with this code is worth another try (a lost worker, I/O, a database
 * hiccup, training that ran out of memory); false when the same input would fail the same way.
 *
 * @example isRetryableCode('MYELIN_ERR_GATE_FAILED') // false
 */
export function isRetryableCode(code: ErrorCode | string): boolean {
  return !PERMANENT.test(code);
}
