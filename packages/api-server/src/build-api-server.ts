import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { hostname } from 'node:os';
import { MyelinError } from '@myelin/errors';
import { queueConnection, RetrainController, RunReconciler } from '@myelin/pipeline';
import type { ApiContext } from './api-context.js';
import type { ApiOptions } from './api-options.js';
import { authHook } from './auth/auth-hook.js';
import { findToken } from './auth/find-token.js';
import { errorHandler } from './errors/error-handler.js';
import { createApiMetrics } from './metrics/api-metrics.js';
import { deploymentsRoute } from './routes/deployments-route.js';
import { healthRoutes } from './routes/health-routes.js';
import { modelsRoutes } from './routes/models-routes.js';
import { reportsRoutes } from './routes/reports-routes.js';
import { retrainingRoutes } from './routes/retraining-routes.js';
import { deployRetrained } from './retrain/deploy-retrained.js';
import { runEventsRoute } from './routes/run-events-route.js';
import { runsRoutes } from './routes/runs-routes.js';
import { trialsRoute } from './routes/trials-route.js';
import { errorSchema } from './schemas/error-schema.js';
import { runSchema } from './schemas/run-schemas.js';

/** Default largest request body: a 1 MiB pipeline as a JSON string, with room for escapes. */
export const DEFAULT_BODY_LIMIT = 1_310_720;
const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));

/**
 * Builds the queue API on a stack (not listening yet): runs (submit, list, detail, events, cancel),
 * models (list, detail, move an alias), deployments (live figures from the model servers), health, metrics, the OpenAPI document at
 * `/api/openapi.json`, and the status page at `/` when it is built. Requests and responses are
 * described by JSON schemas (validated and serialised by Fastify, published by @fastify/swagger).
 * On a queue stack it takes part in the run reconciler (runs whose jobs Redis lost are recovered).
 * It runs retraining (see `ApiOptions.retrain`): the schedules of submitted pipelines, and
 * retraining runs started by the model servers' drift events.
 * Closing the server stops its event streams and the reconciler and, on an in-process executor,
 * cancels and awaits the runs it started; the stack itself stays open (the caller owns it).
 *
 * @example
 * const app = await buildApiServer({ stack: await openEmbeddedStack() });
 * const res = await app.inject({ method: 'GET', url: '/api/runs' });
 */
export async function buildApiServer(opts: ApiOptions): Promise<FastifyInstance> {
  const tokens = opts.tokens ?? [];
  const ctx: ApiContext = {
    stack: opts.stack,
    metrics: createApiMetrics(),
    pipelinesDir: resolve(opts.pipelinesDir ?? process.cwd()),
    eventPollMs: opts.eventPollMs ?? 200,
    heartbeatMs: opts.heartbeatMs ?? 15_000,
    verifyRateLimit: opts.verifyRateLimit ?? { max: 6, timeWindow: 60_000 },
    inflight: new Map(),
    retrain: null,
    streams: new Set(),
  };
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, allErrors: true } },
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    errorHandler(
      new MyelinError('MYELIN_ERR_API_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`, {
        path: 'url',
      }),
      request,
      reply,
    ),
  );
  app.addSchema(errorSchema);
  app.addSchema(runSchema);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Myelin queue API',
        version: '0.1.0',
        description:
          'Trigger pipeline runs, follow their progress, read runs and models, move model aliases. ' +
          'Errors are `{ error: { code, message, details } }` with codes from docs/errors.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'runs', description: 'Pipeline runs' },
        { name: 'models', description: 'The model registry' },
        { name: 'retraining', description: 'Schedules and drift retraining' },
        { name: 'health', description: 'Liveness, readiness, metrics' },
      ],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  if (opts.rateLimit !== false) {
    const limit = opts.rateLimit ?? { max: 600, timeWindow: 60_000 };
    await app.register(fastifyRateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.timeWindow,
      // a known token is its own bucket; anything else (no token, guesses) counts against the address
      keyGenerator: (request) => {
        const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
        const token = presented ? findToken(tokens, presented) : undefined;
        return token ? `t:${createHash('sha256').update(token.token).digest('hex')}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) => ({
        statusCode: 429,
        message: `too many requests: at most ${context.max} per ${context.after}; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
    });
  }

  // per route, after the rate limiter's own hook: failed token guesses count against the limit too
  const auth = authHook(tokens);
  app.addHook('onRoute', (route) => {
    const hooks = route.onRequest;
    route.onRequest = [...(Array.isArray(hooks) ? hooks : hooks ? [hooks] : []), auth];
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    ctx.metrics.requests.inc(labels);
    ctx.metrics.latency.observe(labels, reply.elapsedTime / 1000);
  });
  app.addHook('preClose', async () => {
    for (const s of ctx.streams) s.abort();
    const runs = [...ctx.inflight.entries()];
    const retraining = [...(ctx.retrain?.inflight.keys() ?? [])];
    if (ctx.stack.executor.name === 'local') {
      // in-process runs end with this server; queued runs go on without it
      await Promise.all(
        [...runs.map(([id]) => id), ...retraining].map((id) => ctx.stack.executor.cancel(id)),
      );
      await Promise.all(runs.map(([, done]) => done));
    }
    await ctx.retrain?.close();
  });

  const bullmq = queueConnection(opts.stack.config);
  if (bullmq && opts.reconcile !== false) {
    const reconciler = new RunReconciler({
      url: bullmq.url,
      prefix: bullmq.prefix,
      meta: opts.stack.meta,
      name: `api:${hostname()}:${process.pid}`,
      ...opts.reconcile,
      log: (line) => app.log.info(line),
    });
    reconciler.start();
    app.addHook('onClose', async () => reconciler.stop());
  }

  if (opts.retrain !== false) {
    ctx.retrain = await RetrainController.start({
      stack: opts.stack,
      deploy: deployRetrained(opts.stack.meta),
      ...opts.retrain,
      log: (line) => app.log.info(line),
    });
  }

  await app.register(runsRoutes(ctx));
  await app.register(retrainingRoutes(ctx));
  await app.register(runEventsRoute(ctx));
  await app.register(trialsRoute(ctx));
  await app.register(modelsRoutes(ctx));
  await app.register(reportsRoutes(ctx));
  await app.register(deploymentsRoute());
  await app.register(healthRoutes(ctx));

  app.get('/api/openapi.json', { schema: { tags: ['health'], summary: 'This OpenAPI document' } }, async () =>
    app.swagger(),
  );

  const webDir = opts.webDir ?? DEFAULT_WEB_DIR;
  if (existsSync(resolve(webDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: resolve(webDir), prefix: '/' });
  } else {
    app.get('/', { schema: { hide: true } }, async () => ({
      name: 'Myelin queue API',
      openapi: '/api/openapi.json',
      health: '/healthz',
      ready: '/readyz',
    }));
  }
  return app;
}
