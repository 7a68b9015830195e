import { isMyelinError } from '@myelin/errors';
import { isRetryableCode } from './retryable-error.js';

/**
 * How a step or trial job failed, as the queue's worker sees it: the message, the Myelin code the
 * worker ends the run with once the last attempt failed, and whether another attempt could help.
 * Generic code throws this; the queue adapter turns `retryable: false` into its own "do not retry"
 * (BullMQ: `UnrecoverableError`, in `worker-runtime/src/bullmq/run-bullmq-job.ts`), so nothing
 * outside the adapter depends on how a queue library marks a permanent failure.
 */
export class JobError extends Error {
  override readonly name = 'JobError';

  constructor(
    message: string,
    readonly myelinCode: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * The job error for a thrown value: its Myelin code (`MYELIN_ERR_INTERNAL` for anything else),
 * retryable as the code says unless `retryable` is given.
 *
 * @example toJobError(new MyelinError('MYELIN_ERR_GATE_FAILED', 'accuracy 0.7 < 0.8')).retryable // false
 */
export function toJobError(error: unknown, retryable?: boolean): JobError {
  const code = isMyelinError(error) ? error.code : 'MYELIN_ERR_INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  return new JobError(message, code, retryable ?? isRetryableCode(code));
}
