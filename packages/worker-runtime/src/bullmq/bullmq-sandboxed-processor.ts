import { Redis } from 'ioredis';
import type { SandboxedJob } from 'bullmq';
import { MyelinError } from '@myelin/errors';
import { openStack, queueConnection, type Stack, type StackConfig } from '@myelin/pipeline';
import { watchParent } from '../parent-watchdog.js';
import { WORKER_DEVICE_ENV, WORKER_STACK_ENV } from '../sandbox-env.js';
import { runBullmqJob } from './run-bullmq-job.js';

let opened: Promise<{ stack: Stack; redis: Redis; prefix: string }> | undefined;

function open(): Promise<{ stack: Stack; redis: Redis; prefix: string }> {
  opened ??= (async () => {
    const raw = process.env[WORKER_STACK_ENV];
    const stack = await openStack(
      raw ? { config: JSON.parse(raw) as StackConfig, role: 'worker' } : { role: 'worker' },
    );
    const bullmq = queueConnection(stack.config);
    if (!bullmq)
      throw new MyelinError('MYELIN_ERR_STACK_CONFIG', 'a worker needs the bullmq executor', { path: 'executor' });
    const redis = new Redis(bullmq.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    return { stack, redis, prefix: bullmq.prefix };
  })();
  return opened;
}

// The worker that forked this child is gone (SIGKILL, crash): stop at once, so a job it held is
// only ever worked on by the worker that picks it up after the lock expires. The watchdog thread
// sees the worker's end of the stdin pipe close even mid-epoch (the main thread busy training);
// `disconnect` is the fallback when stdin is not a pipe. Writes are fenced by the job's lock too.
if (process.send) watchParent();
process.on('disconnect', () => process.exit(1));

/**
 * The sandboxed processor (a child process of the worker): training blocks this process's event
 * loop for whole epochs, never the worker's, which keeps renewing the job's lock; a crash or an
 * out-of-memory kill ends only this child and the job is retried. Step and tune trial jobs alike
 * (`runBullmqJob`).
 */
export default async function bullmqSandboxedProcessor(
  job: SandboxedJob,
  token?: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const { stack, redis, prefix } = await open();
  const device = process.env[WORKER_DEVICE_ENV];
  return runBullmqJob(job, token, signal, {
    store: stack.store,
    meta: stack.meta,
    redis,
    prefix,
    ...(device ? { device } : {}),
  });
}
