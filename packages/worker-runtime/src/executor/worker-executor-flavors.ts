import { MyelinError } from '@myelin/errors';
import {
  bullmqExecutorConfigSchema,
  defineFlavor,
  type ExecutorConfig,
  type FlavorTable,
} from '@myelin/pipeline';
import type { MetadataStore } from '@myelin/registry';
import { BullmqWorkerExecutor } from '../bullmq/bullmq-worker-executor.js';
import type { WorkerExecutor } from './worker-executor.js';

/** What a worker executor flavor is opened with. */
export interface WorkerExecutorDeps {
  /** The stack's metadata store (the reconciler ends or re-enqueues runs there). */
  meta: MetadataStore;
}

/**
 * The worker side of the executor port's flavors, by the stack's `executor.kind` (the submit
 * side's are `EXECUTOR_FLAVORS`; `local` runs steps in the submitting process and has no worker).
 */
export const WORKER_EXECUTOR_FLAVORS: FlavorTable<WorkerExecutor, WorkerExecutorDeps, ExecutorConfig> = [
  defineFlavor({
    kind: 'bullmq',
    configSchema: bullmqExecutorConfigSchema,
    open: async (config, deps: WorkerExecutorDeps) => new BullmqWorkerExecutor(config, deps.meta),
  }),
];

/**
 * Opens the worker executor of the stack's `executor` section by flavor lookup, or says that a
 * worker needs a queue executor.
 *
 * @example const executor = await openWorkerExecutor(stack.config.executor, { meta: stack.meta });
 */
export async function openWorkerExecutor(
  config: ExecutorConfig,
  deps: WorkerExecutorDeps,
): Promise<WorkerExecutor> {
  const flavor = WORKER_EXECUTOR_FLAVORS.find((f) => f.kind === config.kind);
  if (!flavor)
    throw new MyelinError(
      'MYELIN_ERR_STACK_CONFIG',
      `a worker needs a queue executor (executor.kind: ${WORKER_EXECUTOR_FLAVORS.map((f) => f.kind).join(' | ')}), this stack's is "${config.kind}"`,
      { path: 'executor.kind' },
    );
  return flavor.open(config, deps);
}
