import type { FastifyInstance } from 'fastify';
import type { Stack } from '@myelin/pipeline';
import type { ApiContext } from '../api-context.js';

/** The content key of the empty blob: a cheap, always-valid key to `head` in any artifact store. */
const SENTINEL_KEY = 'sha256/e3/b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CHECK_TIMEOUT_MS = 3000;

interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>): Promise<CheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (e) {
    return { ok: false, ms: Date.now() - started, error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** The readiness checks of a stack: database, artifact store, and the queue when the executor has one. */
export async function checkStack(stack: Stack): Promise<Record<string, CheckResult>> {
  const checks: Record<string, () => Promise<unknown>> = {
    database: () => stack.meta.listRuns({ limit: 1 }),
    artifacts: () => stack.store.head(SENTINEL_KEY),
  };
  const { executor } = stack;
  if (executor.ping) checks.queue = () => executor.ping!();
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, fn]) => [name, await timed(fn)] as const),
  );
  return Object.fromEntries(entries);
}

const checkSchema = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, ms: { type: 'integer' }, error: { type: 'string' } },
} as const;
const readySchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not ready'] },
    stack: { type: 'string' },
    checks: { type: 'object', additionalProperties: checkSchema },
  },
} as const;

/** `/healthz` (liveness), `/readyz` (the stack's services reachable), `/metrics` (Prometheus). */
export function healthRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/healthz',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['health'],
          summary: 'Liveness: the process answers',
          response: { 200: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } },
        },
      },
      async () => ({ status: 'ok' }),
    );

    app.get(
      '/readyz',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['health'],
          summary: 'Readiness: the database, the artifact store and (when configured) Redis answer',
          response: { 200: readySchema, 503: readySchema },
        },
      },
      async (_request, reply) => {
        const checks = await checkStack(ctx.stack);
        const ok = Object.values(checks).every((c) => c.ok);
        return reply
          .code(ok ? 200 : 503)
          .send({ status: ok ? 'ready' : 'not ready', stack: ctx.stack.name, checks });
      },
    );

    app.get(
      '/metrics',
      {
        config: { scope: 'read', rateLimit: false },
        schema: {
          tags: ['health'],
          summary:
            'Prometheus metrics: requests by route and status, latency, runs submitted, event-stream clients',
          security: [{ bearer: [] }],
          response: {
            200: {
              description: 'Prometheus text format',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      async (_request, reply) => {
        const text = await ctx.metrics.registry.metrics();
        return reply.header('content-type', ctx.metrics.registry.contentType).send(text);
      },
    );
  };
}
