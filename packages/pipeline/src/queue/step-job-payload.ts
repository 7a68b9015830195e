import * as z from 'zod';
import { MyelinError } from '@myelin/errors';

/**
 * The data of one step job. Small on purpose: the spec text lives in the run record, inputs are
 * the earlier steps' outputs in the metadata store, results are artifact refs.
 */
export const stepJobPayloadSchema = z.strictObject({
  /** Payload format version. */
  v: z.literal(1),
  runId: z.string().regex(/^r-[0-9a-z]{6,40}$/, 'expected a run id like r-01j…'),
  step: z.enum(['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register']),
  /** Absolute path of the pipeline file where it was submitted (relative data paths start there). */
  specFile: z.string().min(1).max(4096),
  options: z.strictObject({ allowOutside: z.boolean(), noCache: z.boolean() }),
});

export type StepJobPayload = z.output<typeof stepJobPayloadSchema>;

/**
 * Checks a job's data at the queue boundary.
 *
 * @example parseStepJobPayload(job.data).step // 'train'
 * @throws MyelinError MYELIN_ERR_QUEUE_PAYLOAD naming the bad field
 */
export function parseStepJobPayload(data: unknown): StepJobPayload {
  const r = stepJobPayloadSchema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.') || '(payload)';
  throw new MyelinError('MYELIN_ERR_QUEUE_PAYLOAD', `invalid step job payload: ${issue.message}`, { path });
}
