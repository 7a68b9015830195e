import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MyelinError } from '@myelin/errors';
import type { ApiContext } from '../api-context.js';
import type { ModelDetail, ModelList } from '../api-types.js';
import { errorResponses } from '../schemas/error-schema.js';
import {
  listModelsResponseSchema,
  modelDetailSchema,
  modelNameParamsSchema,
  moveAliasBodySchema,
  moveAliasResponseSchema,
  type MoveAliasBody,
} from '../schemas/model-schemas.js';

const security = [{ bearer: [] }];

/** Who moved an alias, for the history: the token's fingerprint (never the token), else the client address. */
function actor(request: FastifyRequest): string {
  if (request.apiToken) {
    return `api:token-${createHash('sha256').update(request.apiToken.token).digest('hex').slice(0, 8)}`;
  }
  return `api:${request.ip}`;
}

/** `GET /api/models`, `GET /api/models/:name`, `POST /api/models/:name/aliases`. */
export function modelsRoutes(ctx: ApiContext) {
  const { meta } = ctx.stack;
  const getModelOr404 = async (name: string) => {
    const model = await meta.getModel(name);
    if (!model) {
      throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no registered model named "${name}"`, {
        path: 'params.name',
      });
    }
    return model;
  };
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/models',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['models'],
          summary: 'Registered models with their latest version and aliases',
          security,
          response: { 200: listModelsResponseSchema, ...errorResponses(401, 403, 429) },
        },
      },
      async (): Promise<ModelList> => {
        const models = await meta.listModels();
        const detail = await Promise.all(models.map((m) => meta.getModel(m.name)));
        return {
          models: models.map((m, i) => ({
            name: m.name,
            createdAt: m.createdAt,
            latestVersion: m.latestVersion,
            aliases: detail[i]?.aliases ?? {},
          })),
        };
      },
    );

    app.get<{ Params: { name: string } }>(
      '/api/models/:name',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['models'],
          summary: 'One model: its versions (metrics, gates, lineage), aliases and alias history',
          security,
          params: modelNameParamsSchema,
          response: { 200: modelDetailSchema, ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (request): Promise<ModelDetail> => {
        const model = await getModelOr404(request.params.name);
        const history = await meta.aliasHistory(model.name);
        return { ...model, aliasHistory: history };
      },
    );

    app.post<{ Params: { name: string }; Body: MoveAliasBody }>(
      '/api/models/:name/aliases',
      {
        config: { scope: 'models:write' },
        schema: {
          tags: ['models'],
          summary: 'Point an alias at a version (recorded in the alias history with who and why)',
          security,
          params: modelNameParamsSchema,
          body: moveAliasBodySchema,
          response: { 200: moveAliasResponseSchema, ...errorResponses(400, 401, 403, 404, 429) },
        },
      },
      async (request) => {
        const model = await getModelOr404(request.params.name);
        const { alias, version, why } = request.body;
        if (!model.versions.some((v) => v.version === version)) {
          throw new MyelinError(
            'MYELIN_ERR_REGISTRY_NOT_FOUND',
            `model "${model.name}" has no version ${version} (latest is ${model.latestVersion ?? 'none'})`,
            { path: 'body.version' },
          );
        }
        const previousVersion = model.aliases[alias] ?? null;
        const who = actor(request);
        await meta.setAlias(model.name, alias, version, { who, why: why ?? 'moved through the API' });
        await ctx.stack.mlflow?.onAliasMoved(model.name, alias, version);
        return { model: model.name, alias, version, previousVersion, who };
      },
    );
  };
}
