import type { StepJob } from '@myelin/pipeline';

/**
 * A job of Myelin's queues as the step and trial processors see it, whichever worker executor
 * flavor delivered it (in this process or in a sandbox child).
 */
export interface WorkerJob extends StepJob {
  /** The job's queue with its prefix (`myelin:myelin-cpu`): where its lock key lives. */
  queueQualifiedName: string;
}
