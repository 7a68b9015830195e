import * as z from 'zod';
import type { MetadataStore } from '@myelin/registry';
import type { Executor } from '../../executor/executor.js';
import { LocalExecutor } from '../../executor/local-executor.js';
import { QUEUE_PREFIX } from '../../queue/queue-names.js';
import { defineFlavor, type FlavorTable } from './flavor.js';

/** `executor: { kind: local }` — steps run in this process (the embedded default). */
export const localExecutorConfigSchema = z.strictObject({ kind: z.literal('local') });

/** `executor: { kind: bullmq, url, prefix }` — runs become BullMQ flows consumed by `myelin worker`. */
export const bullmqExecutorConfigSchema = z.strictObject({
  kind: z.literal('bullmq'),
  url: z.string().regex(/^rediss?:\/\//, 'expected a redis:// or rediss:// URL'),
  /** BullMQ key prefix of the queues and Myelin's keys: stacks on one Redis with different prefixes are apart. */
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1-64 letters, digits, "_", "." or "-"')
    .default(QUEUE_PREFIX),
});

export type LocalExecutorConfig = z.output<typeof localExecutorConfigSchema>;
export type BullmqExecutorConfig = z.output<typeof bullmqExecutorConfigSchema>;
/** The stack's `executor` section, resolved. */
export type ExecutorConfig = LocalExecutorConfig | BullmqExecutorConfig;

/** What an executor flavor is opened with. */
export interface ExecutorDeps {
  /** The stack's metadata store (BullMQ's `cancel` ends a run there when no worker holds it). */
  meta: MetadataStore;
}

/** The executor port's flavors (submit side; the worker side's are `WORKER_EXECUTOR_FLAVORS` of @myelin/worker-runtime). */
export const EXECUTOR_FLAVORS: FlavorTable<Executor, ExecutorDeps, ExecutorConfig> = [
  defineFlavor({
    kind: 'local',
    configSchema: localExecutorConfigSchema,
    open: async () => new LocalExecutor(),
  }),
  defineFlavor({
    kind: 'bullmq',
    configSchema: bullmqExecutorConfigSchema,
    open: async (config, deps: ExecutorDeps) => {
      // BullMQ and ioredis load only for a stack that queues its runs
      const { BullmqExecutor } = await import('../../bullmq/bullmq-executor.js');
      const executor = new BullmqExecutor({ url: config.url, prefix: config.prefix }, deps.meta);
      await executor.ping();
      return executor;
    },
  }),
];
