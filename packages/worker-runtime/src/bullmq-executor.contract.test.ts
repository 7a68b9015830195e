import { describe, it } from 'vitest';
import { openStack } from '@myelin/pipeline';
import { EXECUTOR_CONTRACT, type ExecutorFlavor } from '@myelin/pipeline/testing';
import { startWorker } from './start-worker.js';
import { queuedStacks } from './testing/queued-stacks.js';

const stacks = queuedStacks('myelin-bullmq-contract-');

/**
 * The queue flavor: a BullmqExecutor on a spawned redis-server and one worker in this process
 * (no sandbox, so it runs the contract's steps; the executor dispatches, the worker runs them).
 */
const bullmq: ExecutorFlavor = {
  name: 'bullmq',
  async open(steps) {
    const config = stacks.config();
    const worker = await startWorker({
      queues: ['cpu'],
      concurrency: 1,
      gpus: 0,
      stack: config,
      sandbox: false,
      log: () => undefined,
      steps,
    });
    const stack = await openStack({ config });
    return {
      executor: stack.executor,
      store: stack.store,
      meta: stack.meta,
      async close() {
        await stack.close();
        await worker.close();
      },
    };
  },
};

describe('BullmqExecutor meets the Executor contract', () => {
  for (const c of EXECUTOR_CONTRACT) it(c.name, () => c.run(bullmq), 60_000);
});
