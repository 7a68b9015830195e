import { availableParallelism, hostname } from 'node:os';
import { MyelinError } from '@myelin/errors';
import { finishQueuedRun, openStack, parseStepJobId, TRIAL_JOB_NAME, type QueueName } from '@myelin/pipeline';
import type { StartWorkerOptions } from './start-worker-options.js';
import { openWorkerExecutor } from './executor/worker-executor-flavors.js';
import type { JobProcessing, QueueConsumer } from './executor/worker-executor.js';
import { WORKER_DEVICE_ENV, WORKER_STACK_ENV } from './sandbox-env.js';
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

/**
 * Starts a Myelin queue worker: consumes `myelin-cpu` with `concurrency` step jobs at once and/or
 * `myelin-gpu` with one training job per GPU (each job gets its device, `CUDA_VISIBLE_DEVICES`
 * set in its sandbox). Steps run in sandboxed child processes by default; the job lock
 * (`lockDurationMs`) is renewed by this process, whose event loop training never blocks, so long
 * epochs never look stalled, while a killed worker's job is picked up by another worker once its
 * lock expires, and resumes from the last checkpoint. The queues are consumed through the stack's
 * worker executor flavor (`openWorkerExecutor`; BullMQ on Redis). A job that failed for good (its attempts
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
  const executor = await openWorkerExecutor(config.executor, { meta: stack.meta });
  const metrics = createWorkerMetrics(async (set) => {
    for (const q of opts.queues) {
      const counts = await executor.jobCounts(q);
      for (const [state, n] of Object.entries(counts)) set(executor.queueName(q), state, n);
    }
  });

  const lockDuration = opts.lockDurationMs ?? 60_000;
  // the heartbeat of a step: each lock renewal holds the step's lease for one more lock duration,
  // so the reconciler can tell a step whose worker died from one that is still being worked on
  const heartbeat = (jobId: string | undefined) => {
    const ids = jobId ? parseStepJobId(jobId) : null;
    if (ids) void stack.meta.heartbeatStep(ids.runId, ids.step, lockDuration).catch(() => undefined);
  };
  const cpuThreads = jobThreads(opts);
  const forkEnv = (device?: string) => ({
    ...process.env,
    [WORKER_STACK_ENV]: JSON.stringify(config),
    MYELIN_THREADS: process.env['MYELIN_THREADS'] ?? String(device ? 1 : cpuThreads),
    ...(device ? { [WORKER_DEVICE_ENV]: device, CUDA_VISIBLE_DEVICES: device.slice(4) } : {}),
  });
  const processing = (device?: string): JobProcessing =>
    sandbox
      ? { kind: 'sandboxed', env: forkEnv(device) }
      : {
          kind: 'in-process',
          deps: {
            store: stack.store,
            meta: stack.meta,
            redis: executor.redis,
            prefix: executor.prefix,
            ...(device ? { device } : {}),
            ...(opts.steps ? { steps: opts.steps } : {}),
          },
        };
  const consume = (q: QueueName, concurrency: number, device?: string): QueueConsumer => {
    const queueName = executor.queueName(q);
    const tag = `[${name}${device ? ` ${device}` : ''}]`;
    return executor.consume(
      {
        queue: q,
        concurrency,
        workerName: name,
        processing: processing(device),
        lockDurationMs: lockDuration,
        stalledIntervalMs: opts.stalledIntervalMs ?? 30_000,
        maxStalledCount: opts.maxStalledCount ?? 2,
      },
      {
        active(job) {
          heartbeat(job.id);
          metrics.active.inc({ queue: queueName });
          log(`${tag} start ${job.step} ${job.runId} attempt ${job.attempt}`);
        },
        progress(job, p) {
          const e = p as {
            step?: string;
            epoch?: number;
            epochs?: number;
            metrics?: Record<string, number>;
            durationMs?: number;
          };
          if (typeof e?.epoch !== 'number') return;
          if (typeof e.durationMs === 'number')
            metrics.epochSeconds.observe({ step: e.step ?? job.step }, e.durationMs / 1000);
          const loss = e.metrics?.loss;
          log(
            `${tag} epoch ${job.step} ${job.runId} ${e.epoch}/${e.epochs}${typeof loss === 'number' ? ` loss=${loss.toFixed(4)}` : ''}`,
          );
        },
        completed(job, result, seconds) {
          metrics.active.dec({ queue: queueName });
          const outcome = result?.status ?? 'succeeded';
          metrics.processed.inc({ queue: queueName, step: job.step, outcome });
          if (seconds !== undefined) metrics.stepSeconds.observe({ step: job.step, outcome }, seconds);
          log(`${tag} done ${job.step} ${job.runId} ${outcome}`);
        },
        failed(job, { error: err, crashed, isFinal }) {
          metrics.active.dec({ queue: queueName });
          // a trial job that failed for good is a failed trial of its train step, never the run's end
          if (job.name === TRIAL_JOB_NAME) {
            log(`${tag} failed trial ${job.runId} attempt ${job.attemptsMade}: ${err.message}`);
            return;
          }
          metrics.processed.inc({ queue: queueName, step: job.step, outcome: 'failed' });
          log(`${tag} failed ${job.step} ${job.runId} attempt ${job.attemptsMade}: ${err.message}`);
          void (async () => {
            if (!(await isFinal())) return; // retried later
            const code =
              (err as { myelinCode?: string }).myelinCode ??
              (crashed ? 'MYELIN_ERR_WORKER_CRASHED' : 'MYELIN_ERR_INTERNAL');
            await finishQueuedRun(stack.meta, job.runId, {
              kind: 'failed',
              step: job.step,
              error: {
                code,
                message: crashed
                  ? `the worker process running step ${job.step} exited (${err.message}) and its ${job.maxAttempts} attempt(s) are used up`
                  : err.message,
              },
            });
            log(`${tag} run ${job.runId} ended: step ${job.step} failed for good`);
          })().catch((e: unknown) => log(`${tag} could not end run ${job.runId}: ${String(e)}`));
        },
        locksRenewed(jobIds) {
          for (const id of jobIds) heartbeat(id);
        },
        error(e) {
          log(`${tag} error: ${e.message}`);
        },
      },
    );
  };

  const consumers: QueueConsumer[] = [];
  if (opts.queues.includes('cpu')) consumers.push(consume('cpu', opts.concurrency));
  if (opts.queues.includes('gpu'))
    for (let i = 0; i < opts.gpus; i++) consumers.push(consume('gpu', 1, `gpu:${i}`));
  await Promise.all(consumers.map((c) => c.ready()));

  const reconciler =
    opts.reconcile === false
      ? undefined
      : executor.reconciler({
          name,
          startGraceMs: 2 * lockDuration,
          ...opts.reconcile,
          log: (line) => log(`[${name}] ${line}`),
        });
  reconciler?.start();

  const server =
    opts.metricsPort !== undefined ? await startMetricsServer(metrics.registry, opts.metricsPort) : undefined;
  log(
    `[${name}] ready: queues ${opts.queues.map((q) => executor.queueName(q)).join(', ')} on ${executor.describe()}; cpu concurrency ${opts.concurrency} × ${process.env['MYELIN_THREADS'] ?? cpuThreads} thread(s); gpus ${opts.queues.includes('gpu') ? opts.gpus : 0}; ${sandbox ? 'sandboxed' : 'in-process'} steps; ${stack.describe()}${server ? `; metrics on :${server.port}/metrics` : ''}`,
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
        await Promise.allSettled(consumers.map((c) => c.close()));
        await server?.close();
        await executor.close();
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
