import type { FastifyInstance } from 'fastify';
import { MyelinError } from '@myelin/errors';
import { verifyModelVersion, type VerifyResult } from '@myelin/pipeline';
import type { ApiContext } from '../api-context.js';
import type { VerifyResponse } from '../api-types.js';
import { errorResponses } from '../schemas/error-schema.js';
import { runIdParamsSchema } from '../schemas/run-schemas.js';

const security = [{ bearer: [] }];
const anyObject = { type: 'object', additionalProperties: true } as const;

/** Which stored report each route serves: the step that wrote it and its output key. */
const REPORTS = {
  evaluation: {
    step: 'evaluate',
    output: 'evaluation',
    what: 'the evaluation report (metrics, confusion matrix, reliability bins, gates)',
  },
  validation: {
    step: 'validate',
    output: 'report',
    what: 'the validation report (schema, profile, anomalies)',
  },
} as const;

/**
 * `GET /api/runs/:id/reports/evaluation`, `GET /api/runs/:id/reports/validation` (the stored
 * reports a run's steps wrote, read from the artifact store, hash-verified) and
 * `POST /api/models/:name/versions/:version/verify` (re-hash every file of a version: rate limited
 * per client more tightly than the other routes, and verifies of one version at once share one pass).
 */
export function reportsRoutes(ctx: ApiContext) {
  const { meta, store } = ctx.stack;
  const verifying = new Map<string, Promise<VerifyResult>>();
  const verifyOnce = (ref: string): Promise<VerifyResult> => {
    let pass = verifying.get(ref);
    if (!pass) {
      pass = verifyModelVersion(meta, store, ref).finally(() => verifying.delete(ref));
      verifying.set(ref, pass);
    }
    return pass;
  };
  return async (app: FastifyInstance): Promise<void> => {
    for (const [name, r] of Object.entries(REPORTS)) {
      app.get<{ Params: { id: string } }>(
        `/api/runs/:id/reports/${name}`,
        {
          config: { scope: 'read' },
          schema: {
            tags: ['runs'],
            summary: `The run's ${r.what}`,
            security,
            params: runIdParamsSchema,
            response: { 200: anyObject, ...errorResponses(401, 403, 404, 429) },
          },
        },
        async (request) => {
          const run = await meta.getRun(request.params.id);
          if (!run)
            throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no run with id ${request.params.id}`, {
              path: 'params.id',
            });
          const key = run.steps.find((s) => s.name === r.step)?.outputs?.[r.output];
          if (typeof key !== 'string') {
            throw new MyelinError(
              'MYELIN_ERR_REGISTRY_NOT_FOUND',
              `run ${run.id} has no ${name} report (its ${r.step} step did not write one)`,
              { path: 'params.id' },
            );
          }
          // the step wrote it with putJson and the store verified its hash; sent as it was stored
          const report: unknown = JSON.parse(new TextDecoder().decode(await store.getBytes(key)));
          return report;
        },
      );
    }

    app.post<{ Params: { name: string; version: string } }>(
      '/api/models/:name/versions/:version/verify',
      {
        config: { scope: 'read', rateLimit: ctx.verifyRateLimit },
        schema: {
          tags: ['models'],
          summary:
            'Re-hash every file of a model version; ok is false and problems name the files on any mismatch',
          description: `Costly (it reads the whole version), so limited to ${ctx.verifyRateLimit.max} per client per ${ctx.verifyRateLimit.timeWindow / 1000} s (429 with Retry-After above it); verifies of one version at once share one pass.`,
          security,
          params: {
            type: 'object',
            required: ['name', 'version'],
            properties: {
              name: { type: 'string', minLength: 1, maxLength: 200 },
              version: { type: 'string', pattern: '^[0-9]+$' },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['ok', 'model', 'version', 'manifest', 'problems'],
              properties: {
                ok: { type: 'boolean' },
                model: { type: 'string' },
                version: { type: 'integer' },
                manifest: { type: 'string' },
                problems: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      file: { type: 'string' },
                      key: { type: 'string' },
                      problem: { type: 'string' },
                    },
                  },
                },
              },
            },
            ...errorResponses(401, 403, 404, 429),
          },
        },
      },
      async (request): Promise<VerifyResponse> => {
        const r = await verifyOnce(`${request.params.name}@${request.params.version}`);
        return {
          ok: r.ok,
          model: r.version.model,
          version: r.version.version,
          manifest: r.version.manifestKey,
          problems: r.problems,
        };
      },
    );
  };
}
