import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { MyelinError } from '@myelin/errors';
import type { InferenceService } from '../core/inference-service.js';
import type { ModelManager } from '../core/model-manager.js';
import type { InstanceBatch, PredictOutcome } from '../core/predict-types.js';
import type { LoadedVersion } from '../loading/loaded-version.js';
import type { ServingMetrics } from '../monitoring/serving-metrics.js';
import {
  SERVER_METADATA,
  checkOutputs,
  formatKserveInfer,
  formatKserveMetadata,
  parseKserveBody,
} from '../protocol/kserve-v2-protocol.js';
import {
  isMalformed,
  parseKserveV2Path,
  parseTfServingPath,
  type ModelPath,
} from '../protocol/parse-model-path.js';
import {
  checkSignature,
  formatTfServingFeatures,
  formatTfServingMetadata,
  formatTfServingPredict,
  formatTfServingResults,
  formatTfServingStatus,
  parseTfServingBody,
  parseTfServingExamples,
} from '../protocol/tf-serving-protocol.js';
import { tfServingRowJson } from '../protocol/tf-serving-predict-json.js';
import type { Clock } from '../util/clock.js';
import { badRequest, httpStatusFor, notFound } from '../util/serving-error.js';
import { parseJsonBody } from './json-body.js';
import { JSON_CONTENT_TYPE, JsonText } from './json-text.js';
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

/** What /metrics counts a request under. */
interface CountAs {
  model: string;
  version: string;
  protocol: 'tfserving' | 'kserve';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** What /metrics counts this inference request under, once its route knows (null: not yet). */
    servingCountAs: CountAs | null;
    /** The V2 binary tensor data after the JSON header, when the body carries it. */
    servingBinaryTail: Uint8Array | null;
  }
}

/** A Content-Type Fastify can read (`type/subtype[; params]`); any other value is dropped, not refused. */
const MEDIA_TYPE = /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(;.*)?$/;
const BINARY_HEADER = 'inference-header-content-length';
const V2_INFER = /^\/v2\/models\/.+\/infer\/?$/i;
const TF_VERB = /^\/v1\/models\/[^?]*:(predict|classify|regress)\/?$/i;

/**
 * Builds the Fastify app: TF Serving REST (`/v1/models/...`), KServe V2 (`/v2/...`), feedback,
 * live figures (`/v1/status`) and `/metrics`, all over one inference core.
 *
 * Like TF Serving: bodies are read as JSON whatever their Content-Type, paths are matched
 * case-insensitively, and a malformed `/v1` path, a non-numeric version, an unknown label or a
 * wrong method is a 400. V2 also reads the binary tensor data extension. Every inference request
 * is counted in `/metrics`, also those refused before their route (bad JSON, 413). Errors are
 * `{ "error": "…" }` with the right status and no stack trace; CORS headers only for configured
 * origins.
 */
export function buildServer(deps: HttpDeps): FastifyInstance {
  const { service, metrics } = deps;
  const app = Fastify({
    logger: false,
    bodyLimit: deps.maxBodyBytes,
    return503OnClosing: true,
    keepAliveTimeout: 65_000,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2048 },
  });
  // per-request fields declared up front (a fixed object shape; no WeakMap lookups per request)
  app.decorateRequest('servingCountAs', null);
  app.decorateRequest('servingBinaryTail', null);

  // Bodies: JSON whatever the Content-Type, depth-guarded; V2 may append binary tensor data.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    try {
      // parseAs 'buffer' hands a Buffer; the check narrows fastify's `string | Buffer`
      const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      const header = req.headers[BINARY_HEADER];
      if (typeof header === 'string' && V2_INFER.test(req.url.split('?')[0] ?? '')) {
        const n = Number(header);
        if (!Number.isSafeInteger(n) || n < 0 || n > buf.length) {
          throw badRequest(`${BINARY_HEADER} is ${header}, the body has ${buf.length} bytes`);
        }
        req.servingBinaryTail = buf.subarray(n);
        done(null, parseJsonBody(buf.toString('utf8', 0, n)));
      } else done(null, parseJsonBody(buf.toString('utf8')));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  // callback hooks, not async ones: no promise per request
  app.addHook('onRequest', (req, _reply, done) => {
    const ct = req.headers['content-type'];
    if (ct !== undefined && !MEDIA_TYPE.test(ct)) delete req.headers['content-type'];
    done();
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
            .header(
              'access-control-allow-headers',
              `authorization, content-type, x-request-key, ${BINARY_HEADER}`,
            )
            .code(204)
            .send();
        }
      }
    });
  }

  // Request metrics: every inference request, whatever stopped it (bad JSON, 413, 401, 404, …).
  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  const knownModel = (name: string): string => (deps.manager.models.has(name) ? name : 'unknown');
  /** What an inference request refused before its handler counts as (null: not an inference route). */
  const countBeforeRoute = (req: FastifyRequest): CountAs | null => {
    if (req.method !== 'POST') return null;
    const path = req.url.split('?')[0] ?? '';
    if (TF_VERB.test(path)) {
      const p = parseTfServingPath('POST', path.replace(/^\/v1\/models\//i, ''));
      return {
        model: isMalformed(p) ? 'unknown' : knownModel(p.model),
        version: 'none',
        protocol: 'tfserving',
      };
    }
    if (V2_INFER.test(path)) {
      const p = parseKserveV2Path(path.replace(/^\/v2\/models\//i, ''));
      return {
        model: p && !isMalformed(p) ? knownModel(p.model) : 'unknown',
        version: 'none',
        protocol: 'kserve',
      };
    }
    return null;
  };
  app.addHook('onResponse', (req, reply, done) => {
    const c = req.servingCountAs ?? countBeforeRoute(req);
    if (!c) return done();
    const status = reply.statusCode;
    const key = `${c.model}\u0000${c.version}\u0000${c.protocol}\u0000${status}`;
    let child = children.get(key);
    if (!child) {
      child = {
        count: metrics.requests.labels({ ...c, status: String(status) }),
        time: metrics.requestDuration.labels(c),
      };
      if (children.size < 10_000) children.set(key, child);
    }
    child.count.inc();
    child.time.observe(reply.elapsedTime / 1000);
    done();
  });

  const requestKey = (req: FastifyRequest): string | undefined => {
    const k = req.headers['x-request-key'];
    return typeof k === 'string' ? k : undefined;
  };

  /** Runs one inference request: auth, the protocol's parse, the core, the protocol's answer. */
  const infer = async (
    protocol: CountAs['protocol'],
    path: ModelPath,
    req: FastifyRequest,
    parse: () => {
      batch: InstanceBatch;
      check: (v: LoadedVersion) => void;
      answer: (out: PredictOutcome) => unknown;
    },
  ): Promise<unknown> => {
    const c: CountAs = { model: knownModel(path.model), version: 'none', protocol };
    req.servingCountAs = c;
    service.authorize(path.model, req.headers.authorization);
    const p = parse();
    const out = await service.predict({
      model: path.model,
      selector: path.selector,
      batch: p.batch,
      protocol,
      requestKey: requestKey(req),
      check: p.check,
    });
    c.version = String(out.version);
    return p.answer(out);
  };

  // TF Serving REST. Fastify cannot route `:predict`, so the tail is parsed by hand.
  const tail = (req: FastifyRequest): string => {
    const params: unknown = req.params;
    const rest = typeof params === 'object' && params !== null && '*' in params ? params['*'] : undefined;
    // fastify fills `*` on every wildcard route; a route without one is a wiring bug, not a bad request
    if (typeof rest !== 'string') throw new Error(`route ${req.routeOptions.url ?? req.url} has no wildcard`);
    return rest;
  };
  app.post('/v1/models/*', async (req, reply) => {
    const path = parseTfServingPath('POST', tail(req));
    if (isMalformed(path)) throw badRequest(path.malformed);
    if (path.action === 'feedback') {
      service.authorize(path.model, req.headers.authorization);
      const body: unknown = req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw badRequest('feedback must be a JSON object { "prediction_id", "label" }');
      }
      const field = (name: string): unknown => (name in body ? Reflect.get(body, name) : undefined);
      const r = service.feedback(path.model, field('prediction_id') ?? field('predictionId'), field('label'));
      return {
        ...r.quality,
        ...(r.correct === undefined ? {} : { correct: r.correct }),
        ...(r.absoluteError === undefined ? {} : { absoluteError: r.absoluteError }),
      };
    }
    const verb = path.action as 'predict' | 'classify' | 'regress';
    const answer = await infer('tfserving', path, req, () => {
      const input = verb === 'predict' ? parseTfServingBody(req.body) : parseTfServingExamples(req.body);
      return {
        batch: input.batch,
        check: (v) => {
          checkSignature(v, input.signature);
          if (verb === 'classify' && !v.classes)
            throw badRequest(
              `${v.model}@${v.version} is a regression model: use :regress or :predict, not :classify`,
            );
          if (verb === 'regress' && v.classes)
            throw badRequest(
              `${v.model}@${v.version} is a classifier: use :classify or :predict, not :regress`,
            );
        },
        answer: (out) =>
          input.format === 'results'
            ? formatTfServingResults(out)
            : input.format === 'row'
              ? new JsonText(tfServingRowJson(out))
              : formatTfServingPredict(out, input.format),
      };
    });
    return answer instanceof JsonText
      ? reply.header('content-type', JSON_CONTENT_TYPE).send(answer.text)
      : answer;
  });

  app.get('/v1/models', async () => {
    throw badRequest('Missing model name in request.');
  });
  app.get('/v1/models/*', async (req) => {
    const path = parseTfServingPath('GET', tail(req));
    if (isMalformed(path)) throw badRequest(path.malformed);
    service.authorize(path.model, req.headers.authorization);
    const m = service.model(path.model);
    const pinned = path.selector.version !== undefined || path.selector.label !== undefined;
    if (path.action === 'metadata') return formatTfServingMetadata(service.resolve(m, path.selector));
    if (path.action === 'features') return formatTfServingFeatures(service.resolve(m, path.selector));
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
  const status = statusReporter({ service, manager: deps.manager, clock: deps.clock });
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
  // Anything else under /v1 (another path, another method) is malformed, as TF Serving answers.
  app.all('/v1/*', async (req) => {
    throw badRequest(`Malformed request: ${req.method} ${req.url.split('?')[0]}`);
  });

  // KServe V2 / Open Inference Protocol.
  app.get('/v2', async () => SERVER_METADATA);
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_req, reply) => {
    const notReady = [...deps.manager.models.values()].filter((m) => m.stable === null).map((m) => m.name);
    return reply
      .code(notReady.length === 0 ? 200 : 503)
      .send(notReady.length === 0 ? { ready: true } : { ready: false, not_ready: notReady });
  });
  const v2Path = (req: FastifyRequest, method: string): ModelPath => {
    const path = parseKserveV2Path(tail(req));
    if (path && isMalformed(path)) throw badRequest(path.malformed);
    const ok = path && (method === 'POST' ? path.action === 'infer' : path.action !== 'infer');
    if (!ok) {
      throw notFound(
        `no route ${method} ${req.url.split('?')[0]}${method === 'POST' ? ' (use /v2/models/{name}[/versions/{v}]/infer)' : ''}`,
      );
    }
    return path as ModelPath;
  };
  app.get('/v2/models/*', async (req, reply) => {
    const path = v2Path(req, 'GET');
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
  app.post('/v2/models/*', async (req) => {
    const path = v2Path(req, 'POST');
    return infer('kserve', path, req, () => {
      const input = parseKserveBody(req.body, req.servingBinaryTail ?? undefined);
      return {
        batch: input.batch,
        check: (v) => checkOutputs(v, input.outputs),
        answer: (out) => formatKserveInfer(out, input.id, input.outputs),
      };
    });
  });

  app.get('/metrics', async (_req, reply) => {
    for (const m of deps.manager.models.values()) {
      for (const v of service.servedVersions(m)) metrics.queueDepth.set(v.labels, v.batcher.queuedRows);
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return app;
}
