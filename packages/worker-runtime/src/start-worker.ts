import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { MyelinError } from '@myelin/errors';
import {
  bullmqQueueName,
  finishQueuedRun,
  maskRedisUrl,
  openStack,
  parseStepJobId,
  queueConnection,
  RunReconciler,
  type StepJobResult,
  type TrialJobResult,
  TRIAL_JOB_NAME,
} from '@myelin/pipeline';
import type { StartWorkerOptions } from './start-worker-options.js';
import { processQueueJob } from './process-queue-job.js';
import { WORKER_DEVICE_ENV, WORKER_STACK_ENV } from './sandboxed-step-processor.js';
import { createWorkerMetrics } from './worker-metrics.js';
import { startMetricsServer } from './metrics-server.js';

/** A running worker. */
export interface RunningWorker {
  /** Name stored on the jobs it processes. */
  name: string;
  /** Port of `/metrics`, when served. */
  metricsPort?: number;
  /**
   * Graceful stop: takes no new jobs, asks running steps to stop at their next epoch boundary
   * (training writes a checkpoint), puts their jobs back in the queue for another worker, then
   * closes its connections.
   */
  close(): Promise<void>;
}

const processorFile = fileURLToPath(new URL('./sandboxed-step-processor.mjs', import.meta.url));

interface StepJobData {
  runId: string;
  step: string;
}

/**
 * Starts a Myelin queue worker: consumes `myelin-cpu` with `concurrency` step jobs at once and/or
 * `myelin-gpu` with one training job per GPU (each job gets its device, `CUDA_VISIBLE_DEVICES`
 * set in its sandbox). Steps run in sandboxed child processes by default; the job lock
 * (`lockDurationMs`) is renewed by this process, whose event loop training never blocks, so long
 * epochs never look stalled, while a killed worker's job is picked up by another worker once its
 * lock expires, and resumes from the last checkpoint. A job that failed for good (its attempts
 * used up, or not retryable) ends its run as failed, the remaining steps skipped.
 *
 * @example
 * const worker = await startWorker({ queues: ['cpu'], concurrency: 2, gpus: 0, metricsPort: 9464 });
 * process.once('SIGTERM', () => void worker.close());
 */
export async function startWorker(opts: StartWorkerOptions): Promise<RunningWorker> {
  const name = opts.name ?? `${hostname()}:${process.pid}`;
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const sandbox = opts.sandbox ?? true;
  if (opts.queues.length === 0)
    throw new MyelinError('MYELIN_ERR_USAGE', 'a worker needs at least one queue: --queues cpu,gpu', {
      path: 'queues',
    });
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      `concurrency must be a positive integer, got ${opts.concurrency}`,
      {
        path: 'concurrency',
      },
    );
  if (opts.queues.includes('gpu') && !(opts.gpus >= 1))
    throw new MyelinError(
      'MYELIN_ERR_USAGE',
      'the gpu queue needs at least one GPU: none was detected; pass --gpus N or consume only --queues cpu',
      { path: 'gpus' },
    );

  const stack = await openStack(opts.stack ? { config: opts.stack, role: 'worker' } : { role: 'worker' });
  const config = stack.config!;
  const bullmq = queueConnection(config);
  if (!bullmq)
    throw new MyelinError('MYELIN_ERR_STACK_CONFIG', 'a worker needs the bullmq executor', { path: 'executor' });
  const { url, prefix } = bullmq;
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const connection = { url, maxRetriesPerRequest: null };
  const counted = new Map(
    opts.queues.map((q) => [
      q,
      new Queue(bullmqQueueName(q), { connection: { url, maxRetriesPerRequest: 1 }, prefix }),
    ]),
  );
  for (const q of counted.values()) q.on('error', () => undefined);
  const metrics = createWorkerMetrics(async (set) => {
    for (const [q, queue] of counted) {
      const counts = await queue.getJobCounts(
        'active',
        'wait',
        'waiting-children',
        'delayed',
        'prioritized',
        'completed',
        'failed',
      );
      for (const [state, n] of Object.entries(counts)) set(bullmqQueueName(q), state, n);
    }
  });

  const lockDuration = opts.lockDurationMs ?? 60_000;
  // the heartbeat of a step: each lock renewal holds the step's lease for one more lock duration,
  // so the reconciler can tell a step whose worker died from one that is still being worked on
  const heartbeat = (jobId: string | undefined) => {
    const ids = jobId ? parseStepJobId(jobId) : null;
    if (ids) void stack.meta.heartbeatStep(ids.runId, ids.step, lockDuration).catch(() => undefined);
  };
  const settings = {
    connection,
    prefix,
    name,
    lockDuration,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: opts.maxStalledCount ?? 2,
  };
  const cpuThreads = jobThreads(opts);
  const forkEnv = (device?: string) => ({
    ...process.env,
    [WORKER_STACK_ENV]: JSON.stringify(config),
    MYELIN_THREADS: process.env['MYELIN_THREADS'] ?? String(device ? 1 : cpuThreads),
    ...(device ? { [WORKER_DEVICE_ENV]: device, CUDA_VISIBLE_DEVICES: device.slice(4) } : {}),
  });
  const makeWorker = (q: 'cpu' | 'gpu', concurrency: number, device?: string): Worker => {
    const queueName = bullmqQueueName(q);
    const worker = sandbox
      ? new Worker(queueName, processorFile, {
          ...settings,
          concurrency,
          workerForkOptions: { env: forkEnv(device) },
        })
      : new Worker(
          queueName,
          (job: Job, token?: string, signal?: AbortSignal) =>
            processQueueJob(job, token, signal, {
              store: stack.store,
              meta: stack.meta,
              redis,
              prefix,
              ...(device ? { device } : {}),
              ...(opts.steps ? { steps: opts.steps } : {}),
            }),
          { ...settings, concurrency },
        );
    const tag = `[${name}${device ? ` ${device}` : ''}]`;
    worker.on('active', (job: Job<StepJobData>) => {
      heartbeat(job.id);
      metrics.active.inc({ queue: queueName });
      log(
        `${tag} start ${job.data.step} ${job.data.runId} attempt ${job.attemptsStarted ?? job.attemptsMade + 1}`,
      );
    });
    worker.on('progress', (job: Job<StepJobData>, p: unknown) => {
      const e = p as {
        step?: string;
        epoch?: number;
        epochs?: number;
        metrics?: Record<string, number>;
        durationMs?: number;
      };
      if (typeof e?.epoch !== 'number') return;
      if (typeof e.durationMs === 'number')
        metrics.epochSeconds.observe({ step: e.step ?? job.data.step }, e.durationMs / 1000);
      const loss = e.metrics?.loss;
      log(
        `${tag} epoch ${job.data.step} ${job.data.runId} ${e.epoch}/${e.epochs}${typeof loss === 'number' ? ` loss=${loss.toFixed(4)}` : ''}`,
      );
    });
    worker.on('completed', (job: Job<StepJobData>, result: StepJobResult | TrialJobResult) => {
      metrics.active.dec({ queue: queueName });
      const outcome = result?.status ?? 'succeeded';
      metrics.processed.inc({ queue: queueName, step: job.data.step, outcome });
      if (job.processedOn && job.finishedOn)
        metrics.stepSeconds.observe(
          { step: job.data.step, outcome },
          (job.finishedOn - job.processedOn) / 1000,
        );
      log(`${tag} done ${job.data.step} ${job.data.runId} ${outcome}`);
    });
    worker.on('failed', (job: Job<StepJobData> | undefined, err: Error) => {
      if (!job) return;
      metrics.active.dec({ queue: queueName });
      // a trial job that failed for good is a failed trial of its train step, never the run's end
      if (job.name === TRIAL_JOB_NAME) {
        log(`${tag} failed trial ${job.data.runId} attempt ${job.attemptsMade}: ${err.message}`);
        return;
      }
      metrics.processed.inc({ queue: queueName, step: job.data.step, outcome: 'failed' });
      log(`${tag} failed ${job.data.step} ${job.data.runId} attempt ${job.attemptsMade}: ${err.message}`);
      void (async () => {
        const state = await job.getState();
        if (state !== 'failed') return; // retried later
        const crashed = /^Unexpected exit code/.test(err.message);
        const code =
          (err as { myelinCode?: string }).myelinCode ??
          (crashed ? 'MYELIN_ERR_WORKER_CRASHED' : 'MYELIN_ERR_INTERNAL');
        await finishQueuedRun(stack.meta, job.data.runId, {
          kind: 'failed',
          step: job.data.step,
          error: {
            code,
            message: crashed
              ? `the worker process running step ${job.data.step} exited (${err.message}) and its ${job.opts.attempts ?? 1} attempt(s) are used up`
              : err.message,
          },
        });
        log(`${tag} run ${job.data.runId} ended: step ${job.data.step} failed for good`);
      })().catch((e: unknown) => log(`${tag} could not end run ${job.data.runId}: ${String(e)}`));
    });
    worker.on('locksRenewed', ({ jobIds }: { jobIds: string[] }) => {
      for (const id of jobIds) heartbeat(id);
    });
    worker.on('lockRenewalFailed', (ids: string[]) => {
      for (const id of ids) worker.cancelJob(id, 'lost-lock');
    });
    worker.on('error', (e: Error) => log(`${tag} error: ${e.message}`));
    return worker;
  };

  const workers: Worker[] = [];
  if (opts.queues.includes('cpu')) workers.push(makeWorker('cpu', opts.concurrency));
  if (opts.queues.includes('gpu'))
    for (let i = 0; i < opts.gpus; i++) workers.push(makeWorker('gpu', 1, `gpu:${i}`));
  await Promise.all(workers.map((w) => w.waitUntilReady()));

  const reconciler =
    opts.reconcile === false
      ? undefined
      : new RunReconciler({
          url,
          prefix,
          meta: stack.meta,
          name,
          startGraceMs: 2 * lockDuration,
          ...opts.reconcile,
          log: (line) => log(`[${name}] ${line}`),
        });
  reconciler?.start();

  const server =
    opts.metricsPort !== undefined ? await startMetricsServer(metrics.registry, opts.metricsPort) : undefined;
  log(
    `[${name}] ready: queues ${opts.queues.map(bullmqQueueName).join(', ')} on ${maskRedisUrl(url)}; cpu concurrency ${opts.concurrency} × ${process.env['MYELIN_THREADS'] ?? cpuThreads} thread(s); gpus ${opts.queues.includes('gpu') ? opts.gpus : 0}; ${sandbox ? 'sandboxed' : 'in-process'} steps; ${stack.describe()}${server ? `; metrics on :${server.port}/metrics` : ''}`,
  );

  let closing: Promise<void> | undefined;
  return {
    name,
    ...(server ? { metricsPort: server.port } : {}),
    close() {
      closing ??= (async () => {
        log(
          `[${name}] shutting down: running steps stop at their next epoch boundary and go back to the queue`,
        );
        await reconciler?.stop();
        const closed = workers.map((w) => w.close());
        for (const w of workers) w.cancelAllJobs('shutdown');
        await Promise.allSettled(closed);
        await Promise.allSettled([...counted.values()].map((q) => q.close()));
        await server?.close();
        redis.disconnect();
        await stack.close();
        log(`[${name}] stopped`);
      })();
      return closing;
    },
  };
}

/** Threads per cpu-queue job: the cores shared by the jobs that run at once (see `threads`). */
export function jobThreads(opts: Pick<StartWorkerOptions, 'threads' | 'concurrency'>): number {
  if (opts.threads !== undefined) {
    if (!Number.isInteger(opts.threads) || opts.threads < 1)
      throw new MyelinError('MYELIN_ERR_USAGE', `threads must be a positive integer, got ${opts.threads}`, {
        path: 'threads',
      });
    return opts.threads;
  }
  return Math.max(1, Math.floor(availableParallelism() / opts.concurrency));
}
