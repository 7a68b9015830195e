import type { FastifyInstance } from 'fastify';
import { MyelinError } from '@myelin/errors';
import { selectBackend } from '@myelin/training';
import { InferenceService } from './core/inference-service.js';
import { ModelManager } from './core/model-manager.js';
import { buildServer } from './http/build-server.js';
import { SampleLogger } from './monitoring/sample-logger.js';
import { ServingMetrics } from './monitoring/serving-metrics.js';
import type { ServeOptions } from './serve-options.js';
import { systemClock } from './util/clock.js';

/** A running inference server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8500`. */
  url: string;
  port: number;
  app: FastifyInstance;
  manager: ModelManager;
  service: InferenceService;
  metrics: ServingMetrics;
  /** Polls the registry now (what a Redis pub/sub nudge calls); resolves when done. */
  refresh(): Promise<void>;
  /** Stops taking requests, lets queued batches finish, unloads the models, flushes sampled logs. */
  close(): Promise<void>;
}

/**
 * Starts the inference server: picks the TensorFlow.js backend, loads and verifies every
 * configured model's alias version, then listens. A model whose version cannot be served (a
 * tampered file, no such alias) is refused alone and reported — not ready on
 * `/v2/health/ready`, `myelin_serving_model_ready 0`, its `lastError` in `/v1/status` — while
 * the others serve; only when no model can be served does it throw. Aliases are polled every
 * `pollIntervalMs` for hot reloads and rollouts (a refused model recovers when its alias moves).
 *
 * @example
 * const server = await startServer({ store, meta, models: [{ name: 'penguins' }], port: 8500 });
 * // curl -X POST $url/v1/models/penguins:predict -d '{"instances":[{"Island":"Dream",...}]}'
 * await server.close();
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  if (opts.models.length === 0)
    throw new MyelinError('MYELIN_ERR_USAGE', 'no model to serve: name at least one');
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? (() => undefined);
  await selectBackend({ log });
  const metrics = new ServingMetrics({ processMetrics: opts.processMetrics ?? false });
  const candidateAlias = opts.candidateAlias ?? 'candidate';
  const manager = new ModelManager(opts.models, {
    store: opts.store,
    meta: opts.meta,
    metrics,
    clock,
    candidateAlias,
    warmupRuns: opts.warmupRuns ?? 3,
    engine: opts.engine ?? 'tfjs',
    pollIntervalMs: opts.pollIntervalMs ?? 2000,
    log,
    ...(opts.announce ? { announce: opts.announce } : {}),
  });
  const samples = opts.models.some((m) => (m.logSampleRate ?? 0) > 0)
    ? new SampleLogger(opts.store, (e) =>
        log(`sampled logging failed: ${e instanceof Error ? e.message : String(e)}`),
      )
    : null;
  const service = new InferenceService({
    manager,
    meta: opts.meta,
    metrics,
    clock,
    random: opts.random ?? Math.random,
    maxInstances: opts.maxInstances ?? 1024,
    requestTimeoutMs: opts.requestTimeoutMs ?? 10_000,
    candidateAlias,
    feedbackCapacity: opts.feedbackCapacity ?? 100_000,
    samples,
    log,
  });
  await manager.start(opts.poll ?? true);
  const app = buildServer({
    service,
    manager,
    metrics,
    clock,
    maxBodyBytes: opts.maxBodyBytes ?? 1024 * 1024,
    cors: opts.cors ?? false,
    log,
  });
  let address: string;
  try {
    address = await app.listen({ port: opts.port ?? 8500, host: opts.host ?? '127.0.0.1' });
  } catch (e) {
    await manager.close();
    throw e;
  }
  const port =
    app.server.address() && typeof app.server.address() === 'object'
      ? (app.server.address() as { port: number }).port
      : 0;
  const unsubscribe = opts.nudges?.(() => void manager.refresh());
  log(`serving ${opts.models.map((m) => m.name).join(', ')} on ${address}`);
  return {
    url: address,
    port,
    app,
    manager,
    service,
    metrics,
    refresh: () => manager.refresh(),
    async close() {
      await unsubscribe?.();
      await app.close();
      await manager.close();
      await samples?.flush();
    },
  };
}
