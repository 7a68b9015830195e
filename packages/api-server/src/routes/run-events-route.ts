import type { FastifyInstance } from 'fastify';
import { MyelinError } from '@myelin/errors';
import type { ApiContext } from '../api-context.js';
import { errorResponses } from '../schemas/error-schema.js';
import { runIdParamsSchema } from '../schemas/run-schemas.js';
import { streamRunEvents } from '../sse/stream-run-events.js';

/** The id to resume after: the `Last-Event-ID` header (a reconnecting EventSource sends it), else `?after=`. */
function resumeAfter(header: string | string[] | undefined, after: number | undefined): number {
  const h = Array.isArray(header) ? header[0] : header;
  if (h !== undefined && h.trim() !== '') {
    const n = Number(h);
    if (!Number.isInteger(n) || n < 0) {
      throw new MyelinError(
        'MYELIN_ERR_API_REQUEST',
        `Last-Event-ID must be an event id (an integer ≥ 0), got "${h}"`,
        {
          path: 'headers.last-event-id',
        },
      );
    }
    return n;
  }
  return after ?? 0;
}

/** `GET /api/runs/:id/events`: the run's events as server-sent events, resumable. */
export function runEventsRoute(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { id: string }; Querystring: { after?: number } }>(
      '/api/runs/:id/events',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['runs'],
          summary: "Follow a run's events (server-sent events)",
          description:
            'A text/event-stream of the events stored for the run, oldest first: `event: step` (a step started or ended), ' +
            '`event: epoch` (per-epoch training metrics), `event: log`, `event: backend`. Each has `id:` (the event id) and ' +
            '`data:` (JSON `{ id, runId, type, ts, payload }`). Resume with the `Last-Event-ID` header or `?after=<id>`: only ' +
            'later events are sent. When the run has ended and every event was sent: `event: end` with `{ runId, status, exitCode, error }`, ' +
            'then the stream closes. `: ping` comments every 15 s keep proxies from closing it.',
          security: [{ bearer: [] }],
          params: runIdParamsSchema,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              after: { type: 'integer', minimum: 0, description: 'send only events with a larger id' },
            },
          },
          headers: {
            type: 'object',
            properties: { 'last-event-id': { type: 'string', description: 'resume after this event id' } },
          },
          response: {
            200: {
              description: 'text/event-stream',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errorResponses(400, 401, 403, 404, 429),
          },
        },
      },
      async (request, reply) => {
        const afterId = resumeAfter(request.headers['last-event-id'], request.query.after);
        const run = await ctx.stack.meta.getRun(request.params.id);
        if (!run) {
          throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no run with id ${request.params.id}`, {
            path: 'params.id',
          });
        }
        const abort = new AbortController();
        ctx.streams.add(abort);
        ctx.metrics.sseClients.inc();
        reply.raw.on('close', () => abort.abort());
        reply.hijack();
        try {
          await streamRunEvents(reply.raw, {
            meta: ctx.stack.meta,
            runId: run.id,
            afterId,
            pollMs: ctx.eventPollMs,
            heartbeatMs: ctx.heartbeatMs,
            signal: abort.signal,
          });
        } catch (e) {
          request.log.error({ err: e, runId: run.id }, 'event stream failed');
          if (!reply.raw.destroyed) reply.raw.destroy();
        } finally {
          ctx.streams.delete(abort);
          ctx.metrics.sseClients.dec();
        }
      },
    );
  };
}
