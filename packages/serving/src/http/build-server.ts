import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { MyelinError } from '@myelin/errors';
import type { InferenceService } from '../core/inference-service.js';
import type { ModelManager } from '../core/model-manager.js';
import type { PredictOutcome } from '../core/predict-types.js';
import type { ServingMetrics } from '../monitoring/serving-metrics.js';
import { formatKserveInfer, formatKserveMetadata, parseKserveBody } from '../protocol/kserve-v2-protocol.js';
import { parseKserveV2Path, parseTfServingPath, type ModelPath } from '../protocol/parse-model-path.js';
import {
  formatTfServingMetadata,
  formatTfServingPredict,
  formatTfServingStatus,
  parseTfServingBody,
} from '../protocol/tf-serving-protocol.js';
import type { Clock } from '../util/clock.js';
import { httpStatusFor, notFound } from '../util/serving-error.js';
import { statusReporter } from './status-route.js';

/** What the HTTP layer needs. */
export interface HttpDeps {
  service: InferenceService;
  manager: ModelManager;
  metrics: ServingMetrics;
  clock: Clock;
  maxBodyBytes: number;
  cors: false | { origins: string[] };
  log: (line: string) => void;
}

/** Error text safe to send: the message of a 4xx, a generic line (never a stack) for a 5xx. */
function errorBody(e: unknown, status: number): { error: string } {
  if (status >= 500 && !(e instanceof MyelinError)) return { error: 'internal error' };
  if (e instanceof MyelinError) return { error: e.message };
  const msg = (e as { message?: unknown } | null)?.message;
  return { error: typeof msg === 'string' ? msg : 'bad request' };
}

function sendError(reply: FastifyReply, e: unknown): number {
  const status = httpStatusFor(e);
  if (status === 503) reply.header('retry-after', '1');
  if (status === 401) reply.header('www-authenticate', 'Bearer');
  void reply.code(status).send(errorBody(e, status));
  return status;
}

/**
 * Builds the Fastify app: TF Serving REST (`/v1/models/...`), KServe V2 (`/v2/...`), feedback,
 * live figures (`/v1/status`) and `/metrics`, all over one inference core. Errors are
 * `{ "error": "…" }` with the right status and no stack trace; CORS headers only for configured origins; a body over `maxBodyBytes` is a 413.
 */
export function buildServer(deps: HttpDeps): FastifyInstance {
  const { service, metrics, clock } = deps;
  const app = Fastify({
    logger: false,
    bodyLimit: deps.maxBodyBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    keepAliveTimeout: 65_000,
  });

  app.setErrorHandler((e, _req, reply) => {
    const status = sendError(reply, e);
    if (status >= 500) deps.log(`request failed: ${e instanceof Error ? e.message : String(e)}`);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` });
  });

  if (deps.cors) {
    const origins = new Set(deps.cors.origins);
    app.addHook('onRequest', async (req, reply) => {
      const origin = req.headers.origin;
      if (origin && (origins.has(origin) || origins.has('*'))) {
        void reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
        if (req.method === 'OPTIONS') {
          void reply
            .header('access-control-allow-methods', 'GET, POST, OPTIONS')
            .header('access-control-allow-headers', 'authorization, content-type, x-request-key')
            .code(204)
            .send();
        }
      }
    });
  }

  const requestChildren = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  const countRequest = (
    model: string,
    version: string,
    protocol: string,
    status: number,
    seconds: number,
  ): void => {
    const key = `${model}\u0000${version}\u0000${protocol}\u0000${status}`;
    let c = requestChildren.get(key);
    if (!c) {
      c = {
        count: metrics.requests.labels({ model, version, protocol, status: String(status) }),
        time: metrics.requestDuration.labels({ model, version, protocol }),
      };
      if (requestChildren.size < 10_000) requestChildren.set(key, c);
    }
    c.count.inc();
    c.time.observe(seconds);
  };

  /** Runs a predict-like handler with auth, metrics and error mapping. */
  const predictRoute = async (
    protocol: 'tfserving' | 'kserve',
    path: ModelPath,
    req: FastifyRequest,
    reply: FastifyReply,
    run: () => Promise<{ out: PredictOutcome; body: unknown }>,
  ): Promise<void> => {
    const started = clock.now();
    let version = 'none';
    let status = 200;
    try {
      service.authorize(path.model, req.headers.authorization);
      const { out, body } = await run();
      version = String(out.version);
      await reply.code(200).send(body);
    } catch (e) {
      status = sendError(reply, e);
    } finally {
      const known = deps.manager.models.has(path.model) ? path.model : 'unknown';
      countRequest(known, version, protocol, status, (clock.now() - started) / 1000);
    }
  };
  const requestKey = (req: FastifyRequest): string | undefined => {
    const k = req.headers['x-request-key'];
    return typeof k === 'string' ? k : undefined;
  };

  // TF Serving REST. Fastify cannot route `:predict`, so the tail is parsed by hand.
  app.post('/v1/models/*', async (req, reply) => {
    const path = parseTfServingPath((req.params as { '*': string })['*']);
    if (!path || (path.action !== 'predict' && path.action !== 'feedback')) {
      throw notFound(
        `no route POST ${req.url.split('?')[0]} (use /v1/models/{name}[/versions/{v}|/labels/{label}]:predict)`,
      );
    }
    if (path.action === 'feedback') {
      service.authorize(path.model, req.headers.authorization);
      const body = req.body as { predictionId?: unknown; label?: unknown } | null;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new MyelinError(
          'MYELIN_ERR_SERVING_BAD_REQUEST',
          'feedback must be a JSON object { predictionId, label }',
        );
      }
      const r = service.feedback(path.model, body.predictionId, body.label);
      return {
        ...r.quality,
        ...(r.correct === undefined ? {} : { correct: r.correct }),
        ...(r.absoluteError === undefined ? {} : { absoluteError: r.absoluteError }),
      };
    }
    await predictRoute('tfserving', path, req, reply, async () => {
      const input = parseTfServingBody(req.body);
      const out = await service.predict({
        model: path.model,
        selector: path.selector,
        instances: input.instances,
        protocol: 'tfserving',
        requestKey: requestKey(req),
      });
      return { out, body: formatTfServingPredict(out, input.format) };
    });
    return reply;
  });

  app.get('/v1/models/*', async (req) => {
    const path = parseTfServingPath((req.params as { '*': string })['*']);
    if (!path || (path.action !== '' && path.action !== 'metadata'))
      throw notFound(`no route GET ${req.url.split('?')[0]}`);
    service.authorize(path.model, req.headers.authorization);
    const m = service.model(path.model);
    const pinned = path.selector.version !== undefined || path.selector.label !== undefined;
    if (path.action === 'metadata') return formatTfServingMetadata(service.resolve(m, path.selector));
    if (!m.stable && m.lastError) {
      return {
        model_version_status: [
          {
            version: String(m.lastError.version),
            state: 'END',
            status: { error_code: 'UNAVAILABLE', error_message: m.lastError.message },
          },
        ],
      };
    }
    return formatTfServingStatus(pinned ? [service.resolve(m, path.selector)] : service.servedVersions(m));
  });

  // Live figures per served model and version (the status page's Deployments panel reads this).
  // A model needing a token is listed only for a caller holding one of its tokens; a caller that
  // may read no model gets the 401 the model routes give.
  const status = statusReporter({ service, manager: deps.manager, clock });
  app.get('/v1/status', async (req) => {
    const header = req.headers.authorization;
    const may = (name: string): boolean => {
      try {
        service.authorize(name, header);
        return true;
      } catch {
        return false;
      }
    };
    const names = [...deps.manager.models.keys()];
    if (names.length > 0 && !names.some(may)) service.authorize(names[0] as string, header);
    return status(may);
  });

  // KServe V2 / Open Inference Protocol.
  app.get('/v2', async () => ({ name: 'myelin', version: '0.1.0', extensions: ['metrics', 'feedback'] }));
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_req, reply) => {
    const ready = [...deps.manager.models.values()].every((m) => m.stable !== null);
    return reply.code(ready ? 200 : 503).send({ ready });
  });
  app.get('/v2/models/*', async (req, reply) => {
    const path = parseKserveV2Path((req.params as { '*': string })['*']);
    if (!path || (path.action !== '' && path.action !== 'ready'))
      throw notFound(`no route GET ${req.url.split('?')[0]}`);
    service.authorize(path.model, req.headers.authorization);
    const m = service.model(path.model);
    if (path.action === 'ready') {
      let ready = true;
      try {
        service.resolve(m, path.selector);
      } catch {
        ready = false;
      }
      return reply.code(ready ? 200 : 503).send({ name: path.model, ready });
    }
    return formatKserveMetadata(path.model, service.servedVersions(m), service.resolve(m, path.selector));
  });
  app.post('/v2/models/*', async (req, reply) => {
    const path = parseKserveV2Path((req.params as { '*': string })['*']);
    if (!path || path.action !== 'infer')
      throw notFound(`no route POST ${req.url.split('?')[0]} (use /v2/models/{name}[/versions/{v}]/infer)`);
    await predictRoute('kserve', path, req, reply, async () => {
      const m = service.model(path.model);
      const target = service.resolve(m, path.selector);
      const input = parseKserveBody(
        req.body,
        target.loaded.preprocessor.features.map((f) => f.name),
      );
      const out = await service.predict({
        model: path.model,
        selector: path.selector,
        instances: input.instances,
        protocol: 'kserve',
        requestKey: requestKey(req),
      });
      return { out, body: formatKserveInfer(out, input.id) };
    });
    return reply;
  });

  app.get('/metrics', async (_req, reply) => {
    for (const m of deps.manager.models.values()) {
      for (const v of service.servedVersions(m)) metrics.queueDepth.set(v.labels, v.batcher.queuedRows);
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return app;
}
