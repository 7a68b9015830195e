import type { FastifyInstance } from 'fastify';
import { MyelinError } from '@myelin/errors';
import { listStackSchedules, removeStackSchedule, RETRAIN_EVENTS } from '@myelin/pipeline';
import { RetrainStore, type RetrainTriggerRecord } from '@myelin/registry';
import { DEPLOY_EVENTS as DEPLOY_EVENT_TYPES } from '@myelin/serving';
import type { ApiContext } from '../api-context.js';
import { errorResponses } from '../schemas/error-schema.js';
import {
  listSchedulesResponseSchema,
  listTriggersQuerySchema,
  listTriggersResponseSchema,
  removeScheduleResponseSchema,
  schedulePipelineParamsSchema,
  type ListTriggersQuerystring,
} from '../schemas/retraining-schemas.js';

const security = [{ bearer: [] }];

/** Run event types that make up a retraining's chain after the drift: its start, rollout and the servers' decisions. */
const CHAIN_EVENTS = new Set<string>([
  RETRAIN_EVENTS.started,
  RETRAIN_EVENTS.deployed,
  DEPLOY_EVENT_TYPES.started,
  DEPLOY_EVENT_TYPES.promoted,
  DEPLOY_EVENT_TYPES.rolledBack,
]);

/** A handled drift event with what followed: the run it started (status, gates, version) and its rollout events. */
async function withChain(ctx: ApiContext, t: RetrainTriggerRecord) {
  if (!t.runId) return { ...t, run: null, chain: [] };
  const run = await ctx.stack.meta.getRun(t.runId);
  const events = await ctx.stack.meta.listEvents({ runId: t.runId, limit: 10_000 });
  const summary = run?.summary as {
    gates?: Record<string, { passed: boolean }>;
    model?: { version: number } | null;
  } | null;
  return {
    ...t,
    run: run
      ? {
          id: run.id,
          status: run.status,
          gates: Object.fromEntries(
            Object.entries(summary?.gates ?? {}).map(([k, g]) => [k, { passed: g.passed }]),
          ),
          version: summary?.model?.version ?? null,
        }
      : null,
    chain: events
      .filter((e) => CHAIN_EVENTS.has(e.type))
      .map((e) => ({ type: e.type, ts: e.ts, payload: e.payload })),
  };
}

/** `GET /api/schedules`, `DELETE /api/schedules/:pipeline`, `GET /api/retraining`. */
export function retrainingRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/schedules',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['retraining'],
          summary: 'The cron schedules of submitted pipelines, with their next fire times',
          description:
            'A pipeline submitted with `monitor.retrain.schedule` is scheduled; each fire time starts one run (`trigger: schedule`) from the spec text submitted last. Expressions are read in UTC.',
          security,
          response: { 200: listSchedulesResponseSchema, ...errorResponses(401, 403, 429) },
        },
      },
      async () => {
        const schedules = await listStackSchedules(ctx.stack);
        return { schedules: schedules.map(({ specText: _t, options: _o, ...s }) => s) };
      },
    );

    app.delete<{ Params: { pipeline: string } }>(
      '/api/schedules/:pipeline',
      {
        config: { scope: 'runs:write' },
        schema: {
          tags: ['retraining'],
          summary: "Remove a pipeline's schedule",
          description:
            'Its job scheduler is removed at once; no later fire time starts a run. Submitting the pipeline again with a schedule registers it again. 404 when it has none.',
          security,
          params: schedulePipelineParamsSchema,
          response: { 200: removeScheduleResponseSchema, ...errorResponses(401, 403, 404, 429, 503) },
        },
      },
      async (request) => {
        const { pipeline } = request.params;
        const removed = ctx.retrain
          ? await ctx.retrain.removeSchedule(pipeline)
          : await removeStackSchedule(ctx.stack, pipeline);
        if (!removed)
          throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `pipeline ${pipeline} has no schedule`, {
            path: 'params.pipeline',
          });
        return { pipeline, removed };
      },
    );

    app.get<{ Querystring: ListTriggersQuerystring }>(
      '/api/retraining',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['retraining'],
          summary: 'Drift events the retrain controller handled, newest first, with what it decided',
          description:
            'Each `serving.drift` event a model server recorded, once: `started` with the retraining run, or `skipped`/`failed` with the reason (no pipeline, onDrift off, same episode, one at a time, cooldown, loop guard).',
          security,
          querystring: listTriggersQuerySchema,
          response: { 200: listTriggersResponseSchema, ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (request) => {
        const store = ctx.retrain?.store ?? RetrainStore.forStore(ctx.stack.meta);
        const triggers = await store.listTriggers({
          ...(request.query.model ? { model: request.query.model } : {}),
          limit: request.query.limit ?? 100,
        });
        return { triggers: await Promise.all(triggers.map((t) => withChain(ctx, t))) };
      },
    );
  };
}
