import type { FastifyInstance } from 'fastify';
import { MyelinError } from '@myelin/errors';
import { readTrials } from '@myelin/registry';
import type { ApiContext } from '../api-context.js';
import type { TrialsResponse } from '../api-types.js';
import { errorResponses } from '../schemas/error-schema.js';
import { runIdParamsSchema } from '../schemas/run-schemas.js';

const trialSchema = {
  type: 'object',
  required: ['index', 'params', 'status', 'metric', 'epochsRun', 'rung', 'curve'],
  properties: {
    index: { type: 'integer' },
    params: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean'] } },
    status: { type: 'string', enum: ['succeeded', 'pruned', 'failed', 'cancelled'] },
    metric: { type: ['number', 'null'] },
    epochsRun: { type: 'integer' },
    rung: { type: ['integer', 'null'] },
    curve: { type: 'array', items: { type: ['number', 'null'] } },
    error: { type: 'string' },
  },
} as const;

const trialsResponseSchema = {
  type: 'object',
  required: ['runId', 'tune', 'trials'],
  properties: {
    runId: { type: 'string' },
    tune: {
      type: ['object', 'null'],
      properties: {
        strategy: { type: 'string' },
        metric: { type: 'string' },
        direction: { type: 'string' },
        bestTrial: { type: 'integer' },
        bestMetric: { type: 'number' },
        bestParams: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean'] } },
      },
    },
    trials: { type: 'array', items: trialSchema },
  },
} as const;

/** `GET /api/runs/:id/trials`: the tune trials of a run (its train step's record); none for a run without `tune:`. */
export function trialsRoute(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get<{ Params: { id: string } }>(
      '/api/runs/:id/trials',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['runs'],
          summary:
            'The hyperparameter-search trials of a run: parameters, status, objective, curve, rung; the best trial',
          security: [{ bearer: [] }],
          params: runIdParamsSchema,
          response: { 200: trialsResponseSchema, ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (request): Promise<TrialsResponse> => {
        const run = await ctx.stack.meta.getRun(request.params.id);
        if (!run)
          throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no run with id ${request.params.id}`, {
            path: 'params.id',
          });
        return { runId: run.id, ...readTrials(run) };
      },
    );
  };
}
