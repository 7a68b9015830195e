import * as z from 'zod';
import { MyelinError } from '@myelin/errors';

/** The BullMQ job name of a tune trial (step jobs are named after their step). */
export const TRIAL_JOB_NAME = 'trial';

/**
 * The data of one trial job: which run and which trial. The trial's values are not in it: they
 * are `planTrials(spec.tune)[trial]`, the seeded plan of the run's recorded spec, so a job can
 * never disagree with the step that collects it.
 */
export const trialJobPayloadSchema = z.strictObject({
  /** Payload format version. */
  v: z.literal(1),
  runId: z.string().regex(/^r-[0-9a-z]{6,40}$/, 'expected a run id like r-01j…'),
  /** Always `train`: the step whose log and lease the trial shares (the worker's log lines name it). */
  step: z.literal('train'),
  /** The trial's index in the plan. */
  trial: z.number().int().min(0).max(100_000),
  /** Absolute path of the pipeline file where it was submitted (relative data paths start there). */
  specFile: z.string().min(1).max(4096),
  options: z.strictObject({ allowOutside: z.boolean(), noCache: z.boolean() }),
});

export type TrialJobPayload = z.output<typeof trialJobPayloadSchema>;

/**
 * The job id of a run's trial; not of the `r-…-step` form, so it is never taken for a step job.
 *
 * @example trialJobId('r-01jabc', 3) // 'trial-r-01jabc-3'
 */
export function trialJobId(runId: string, trial: number): string {
  return `trial-${runId}-${trial}`;
}

/**
 * Checks a trial job's data at the queue boundary.
 *
 * @throws MyelinError MYELIN_ERR_QUEUE_PAYLOAD naming the bad field
 */
export function parseTrialJobPayload(data: unknown): TrialJobPayload {
  const r = trialJobPayloadSchema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.') || '(payload)';
  throw new MyelinError('MYELIN_ERR_QUEUE_PAYLOAD', `invalid trial job payload: ${issue.message}`, { path });
}
