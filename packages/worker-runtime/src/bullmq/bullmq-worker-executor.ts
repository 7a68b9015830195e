import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  bullmqQueueName,
  maskRedisUrl,
  RunReconciler,
  type BullmqExecutorConfig,
  type QueueName,
  type RunReconcilerOptions,
} from '@myelin/pipeline';
import type { MetadataStore } from '@myelin/registry';
import type {
  ConsumedJob,
  ConsumerEvents,
  ConsumerOptions,
  QueueConsumer,
  WorkerExecutor,
  WorkerReconciler,
} from '../executor/worker-executor.js';
import { runBullmqJob } from './run-bullmq-job.js';

const processorFile = fileURLToPath(new URL('./bullmq-sandboxed-processor.mjs', import.meta.url));

/** What Myelin's jobs carry in their data (step and trial jobs alike). */
interface StepJobData {
  runId: string;
  step: string;
}

/** The job of a BullMQ event as the worker executor port reports it. */
function consumedJob(job: Job<StepJobData>): ConsumedJob {
  return {
    id: job.id,
    name: job.name,
    runId: job.data.runId,
    step: job.data.step,
    attempt: job.attemptsStarted ?? job.attemptsMade + 1,
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
  };
}

/**
 * The BullMQ flavor of the worker executor: one BullMQ `Worker` per consumed queue, its steps in
 * sandboxed child processes (`bullmq-sandboxed-processor.mjs`) or in this process; the job lock is
 * renewed by this process's event loop, and a job whose lock renewal failed is cancelled
 * (`lost-lock`: it stops at its next epoch and is handed back).
 */
export class BullmqWorkerExecutor implements WorkerExecutor {
  readonly redis: Redis;
  readonly prefix: string;
  private readonly url: string;
  private readonly counted = new Map<QueueName, Queue>();

  constructor(
    config: BullmqExecutorConfig,
    private readonly meta: MetadataStore,
  ) {
    this.url = config.url;
    this.prefix = config.prefix;
    this.redis = new Redis(config.url, { maxRetriesPerRequest: 1 });
    this.redis.on('error', () => undefined);
  }

  queueName(queue: QueueName): string {
    return bullmqQueueName(queue);
  }

  consume(opts: ConsumerOptions, events: ConsumerEvents): QueueConsumer {
    const settings = {
      connection: { url: this.url, maxRetriesPerRequest: null },
      prefix: this.prefix,
      name: opts.workerName,
      concurrency: opts.concurrency,
      lockDuration: opts.lockDurationMs,
      stalledInterval: opts.stalledIntervalMs,
      maxStalledCount: opts.maxStalledCount,
    };
    const processing = opts.processing;
    const worker =
      processing.kind === 'sandboxed'
        ? new Worker(bullmqQueueName(opts.queue), processorFile, {
            ...settings,
            workerForkOptions: { env: processing.env },
          })
        : new Worker(
            bullmqQueueName(opts.queue),
            (job: Job, token?: string, signal?: AbortSignal) =>
              runBullmqJob(job, token, signal, processing.deps),
            settings,
          );
    worker.on('active', (job: Job<StepJobData>) => events.active(consumedJob(job)));
    worker.on('progress', (job: Job<StepJobData>, p: unknown) => events.progress(consumedJob(job), p));
    worker.on('completed', (job: Job<StepJobData>, result: { status?: string } | undefined) =>
      events.completed(
        consumedJob(job),
        result,
        job.processedOn && job.finishedOn ? (job.finishedOn - job.processedOn) / 1000 : undefined,
      ),
    );
    worker.on('failed', (job: Job<StepJobData> | undefined, err: Error) => {
      if (!job) return;
      events.failed(consumedJob(job), {
        error: err,
        crashed: /^Unexpected exit code/.test(err.message),
        isFinal: async () => (await job.getState()) === 'failed',
      });
    });
    worker.on('locksRenewed', ({ jobIds }: { jobIds: string[] }) => events.locksRenewed(jobIds));
    worker.on('lockRenewalFailed', (ids: string[]) => {
      for (const id of ids) worker.cancelJob(id, 'lost-lock');
    });
    worker.on('error', (e: Error) => events.error(e));
    return {
      ready: async () => {
        await worker.waitUntilReady();
      },
      close: async () => {
        const closed = worker.close();
        worker.cancelAllJobs('shutdown');
        await closed;
      },
    };
  }

  async jobCounts(queue: QueueName): Promise<Record<string, number>> {
    let counted = this.counted.get(queue);
    if (!counted) {
      counted = new Queue(bullmqQueueName(queue), {
        connection: { url: this.url, maxRetriesPerRequest: 1 },
        prefix: this.prefix,
      });
      counted.on('error', () => undefined);
      this.counted.set(queue, counted);
    }
    return counted.getJobCounts(
      'active',
      'wait',
      'waiting-children',
      'delayed',
      'prioritized',
      'completed',
      'failed',
    );
  }

  reconciler(opts: Omit<RunReconcilerOptions, 'url' | 'prefix' | 'meta'>): WorkerReconciler {
    return new RunReconciler({ ...opts, url: this.url, prefix: this.prefix, meta: this.meta });
  }

  describe(): string {
    return maskRedisUrl(this.url);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.counted.values()].map((q) => q.close()));
    this.redis.disconnect();
  }
}
