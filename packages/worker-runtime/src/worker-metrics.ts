import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The worker's Prometheus metrics. */
export interface WorkerMetrics {
  registry: Registry;
  /** Jobs of each queue by state (refreshed from Redis on every scrape). */
  jobs: Gauge<'queue' | 'state'>;
  /** Step jobs this worker finished, by outcome. */
  processed: Counter<'queue' | 'step' | 'outcome'>;
  /** Step durations on this worker. */
  stepSeconds: Histogram<'step' | 'outcome'>;
  /** Training epoch durations on this worker. */
  epochSeconds: Histogram<'step'>;
  /** Step jobs running on this worker now. */
  active: Gauge<'queue'>;
}

/**
 * Creates the worker's metrics in their own registry, with Node's process metrics (CPU, memory,
 * event-loop lag, handles) from prom-client's default collectors.
 */
export function createWorkerMetrics(
  collectJobCounts: (set: (queue: string, state: string, n: number) => void) => Promise<void>,
): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'myelin_worker_' });
  const jobs = new Gauge({
    name: 'myelin_queue_jobs',
    help: 'Jobs in each Myelin queue by state.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      await collectJobCounts((queue, state, n) => this.set({ queue, state }, n)).catch(() => undefined);
    },
  });
  return {
    registry,
    jobs,
    processed: new Counter({
      name: 'myelin_worker_step_jobs_total',
      help: 'Step jobs this worker finished, by outcome (succeeded, cached, skipped, failed, released).',
      labelNames: ['queue', 'step', 'outcome'] as const,
      registers: [registry],
    }),
    stepSeconds: new Histogram({
      name: 'myelin_worker_step_duration_seconds',
      help: 'Duration of step jobs on this worker.',
      labelNames: ['step', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    }),
    epochSeconds: new Histogram({
      name: 'myelin_worker_epoch_duration_seconds',
      help: 'Duration of training epochs on this worker.',
      labelNames: ['step'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600],
      registers: [registry],
    }),
    active: new Gauge({
      name: 'myelin_worker_active_jobs',
      help: 'Step jobs running on this worker now.',
      labelNames: ['queue'] as const,
      registers: [registry],
    }),
  };
}
