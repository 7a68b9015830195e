import type { PipelineSpec } from '@myelin/spec';
import type { StepName } from '../plan/compile-plan.js';

/** Retries of the steps other than training: 3 tries, 1 s then 2 s apart. */
export const DEFAULT_STEP_RETRY = { attempts: 3, backoffMs: 1000 } as const;

/**
 * The BullMQ retry options of a step: `train.retry` from the spec for training, the default for
 * the others; exponential backoff (backoffMs, 2·backoffMs, 4·backoffMs, …).
 *
 * @example stepRetry(spec, 'train') // { attempts: 3, backoff: { type: 'exponential', delay: 5000 } }
 */
export function stepRetry(
  spec: PipelineSpec,
  step: StepName,
): { attempts: number; backoff: { type: 'exponential'; delay: number } } {
  const r = step === 'train' ? spec.train.retry : DEFAULT_STEP_RETRY;
  return { attempts: r.attempts, backoff: { type: 'exponential', delay: r.backoffMs } };
}
