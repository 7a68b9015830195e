import type { PipelineSpec } from '@myelin/spec';

export type StepName = 'ingest' | 'validate' | 'preprocess' | 'train' | 'evaluate' | 'register';
export type QueueName = 'cpu' | 'gpu';

export interface PlanStep {
  name: StepName;
  /** Steps whose outputs this step reads. */
  needs: StepName[];
  /** The queue its resources ask for: `gpu` for training with train.resources.gpu >= 1. */
  queue: QueueName;
}

export interface Plan {
  pipeline: string;
  /** Topologically ordered. */
  steps: PlanStep[];
}

/**
 * Compiles a pipeline spec into its plan: ingest → validate → preprocess → train → evaluate → register.
 *
 * @example
 * compilePlan(spec).steps.map((s) => s.name); // ['ingest', 'validate', 'preprocess', 'train', 'evaluate', 'register']
 */
export function compilePlan(spec: PipelineSpec): Plan {
  const gpu = (spec.train.resources?.gpu ?? 0) >= 1;
  const steps: PlanStep[] = [
    { name: 'ingest', needs: [], queue: 'cpu' },
    { name: 'validate', needs: ['ingest'], queue: 'cpu' },
    { name: 'preprocess', needs: ['ingest', 'validate'], queue: 'cpu' },
    { name: 'train', needs: ['preprocess'], queue: gpu ? 'gpu' : 'cpu' },
    { name: 'evaluate', needs: ['ingest', 'preprocess', 'train'], queue: 'cpu' },
    { name: 'register', needs: ['ingest', 'validate', 'preprocess', 'train', 'evaluate'], queue: 'cpu' },
  ];
  return { pipeline: spec.name, steps };
}
