import type { FlowJob } from 'bullmq';
import type { PipelineSpec } from '@myelin/spec';
import type { Plan } from '../plan/compile-plan.js';
import type { StepOptions } from '../run/step-context.js';
import { bullmqQueueName, stepJobId } from '../queue/queue-names.js';
import type { StepJobPayload } from '../queue/step-job-payload.js';
import { stepRetry } from '../queue/step-retry.js';

const WEEK_S = 7 * 24 * 3600;

/**
 * The BullMQ flow of a run. Flows are trees, the plan is a DAG with fan-in (evaluate needs ingest,
 * preprocess and train), so the steps are chained in the plan's topological order: each job's one
 * child is the step before it, which transitively completes every step it needs. The root is the
 * last step. A job reads its inputs from the metadata store's step outputs, never from its children.
 * A failure (after the step's retries) fails every parent (`failParentOnFailure`).
 *
 * @example buildRunFlow({ runId, prefix: 'myelin', plan, spec, specFile, options }).name // 'register'
 */
export function buildRunFlow(input: {
  runId: string;
  /** BullMQ key prefix of the queues. */
  prefix: string;
  plan: Plan;
  spec: PipelineSpec;
  specFile: string;
  options: StepOptions;
}): FlowJob {
  let flow: FlowJob | undefined;
  for (const step of input.plan.steps) {
    const data: StepJobPayload = {
      v: 1,
      runId: input.runId,
      step: step.name,
      specFile: input.specFile,
      options: { allowOutside: input.options.allowOutside, noCache: input.options.noCache },
    };
    const node: FlowJob = {
      name: step.name,
      queueName: bullmqQueueName(step.queue),
      prefix: input.prefix,
      data,
      opts: {
        jobId: stepJobId(input.runId, step.name),
        ...stepRetry(input.spec, step.name),
        failParentOnFailure: true,
        removeOnComplete: { age: WEEK_S },
        removeOnFail: { age: WEEK_S },
      },
      ...(flow ? { children: [flow] } : {}),
    } as FlowJob;
    flow = node;
  }
  if (!flow) throw new Error('a plan has at least one step');
  return flow;
}
