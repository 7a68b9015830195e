import type { Command } from 'commander';
import { MyelinError } from '@myelin/errors';
import { detectGpus, startWorker } from '@myelin/worker-runtime';

interface WorkerFlags {
  queues: string;
  concurrency: string;
  gpus?: string;
  threads?: string;
  metricsPort?: string;
  lockDurationMs?: string;
  stalledIntervalMs?: string;
  reconcileIntervalMs?: string;
}

function positiveInt(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new MyelinError('MYELIN_ERR_USAGE', `${flag} needs an integer >= ${min}, got "${value}"`, {
      path: flag,
    });
  return n;
}

/** `myelin worker --queues cpu,gpu [--concurrency N] [--gpus N] [--metrics-port P]`. */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Consume the BullMQ queues of the configured stack (needs MYELIN_REDIS_URL or redis.url in myelin.stack.yaml) and run pipeline steps.\n' +
        'SIGTERM/SIGINT: stop taking jobs, let a running epoch finish, keep a checkpoint, and hand the job back to the queue.',
    )
    .option('--queues <list>', 'queues to consume: cpu, gpu or cpu,gpu', 'cpu')
    .option('--concurrency <n>', 'step jobs run at once from the cpu queue', '1')
    .option(
      '--gpus <n>',
      'GPUs for the gpu queue, one training job each (default: the CUDA devices the training engine sees)',
    )
    .option(
      '--threads <n>',
      'training threads of each cpu-queue job (default: the cores divided by --concurrency)',
    )
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port at /metrics')
    .option(
      '--lock-duration-ms <ms>',
      'job lock duration (a dead worker’s job is picked up after it)',
      '60000',
    )
    .option('--stalled-interval-ms <ms>', 'how often to look for jobs of dead workers', '30000')
    .option(
      '--reconcile-interval-ms <ms>',
      'how often the run reconciler (one process of all workers and APIs leads) looks for runs whose jobs Redis lost',
      '10000',
    )
    .action(async (flags: WorkerFlags) => {
      const queues = flags.queues
        .split(',')
        .map((q) => q.trim())
        .filter(Boolean);
      for (const q of queues)
        if (q !== 'cpu' && q !== 'gpu')
          throw new MyelinError('MYELIN_ERR_USAGE', `unknown queue "${q}"; expected cpu and/or gpu`, {
            path: '--queues',
          });
      let gpus = positiveInt(flags.gpus, '--gpus', 0);
      if (gpus === undefined && queues.includes('gpu')) {
        const found = detectGpus();
        if (found.count === 0)
          throw new MyelinError(
            'MYELIN_ERR_USAGE',
            `the gpu queue needs a GPU the training engine can use, but ${found.detail}; consume only --queues cpu, or pass --gpus N`,
            { path: '--queues' },
          );
        gpus = found.count;
      }
      const worker = await startWorker({
        queues: queues as ('cpu' | 'gpu')[],
        concurrency: positiveInt(flags.concurrency, '--concurrency')!,
        gpus: gpus ?? 0,
        ...(flags.threads !== undefined ? { threads: positiveInt(flags.threads, '--threads')! } : {}),
        ...(flags.metricsPort !== undefined
          ? { metricsPort: positiveInt(flags.metricsPort, '--metrics-port', 0)! }
          : {}),
        lockDurationMs: positiveInt(flags.lockDurationMs, '--lock-duration-ms', 1000)!,
        stalledIntervalMs: positiveInt(flags.stalledIntervalMs, '--stalled-interval-ms', 100)!,
        reconcile: { intervalMs: positiveInt(flags.reconcileIntervalMs, '--reconcile-interval-ms', 100)! },
      });
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          void worker.close().then(resolve, resolve);
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
    });
}
