import type { FastifyInstance } from 'fastify';
import { MyelinError } from '@myelin/errors';
import { submitRun } from '@myelin/pipeline';
import type { ApiContext } from '../api-context.js';
import type { RunDetail, RunList, SubmittedRun } from '../api-types.js';
import { loadPipelineRequest } from '../pipelines/load-pipeline-request.js';
import { errorResponses } from '../schemas/error-schema.js';
import {
  cancelRunResponseSchema,
  listRunsQuerySchema,
  listRunsResponseSchema,
  runDetailSchema,
  runIdParamsSchema,
  submitRunBodySchema,
  submitRunResponseSchema,
  type ListRunsQuerystring,
  type SubmitRunBody,
} from '../schemas/run-schemas.js';
import { runDetailView, runView } from './run-view.js';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
const security = [{ bearer: [] }];

async function getRunOr404(ctx: ApiContext, id: string) {
  const run = await ctx.stack.meta.getRun(id);
  if (!run)
    throw new MyelinError('MYELIN_ERR_REGISTRY_NOT_FOUND', `no run with id ${id}`, { path: 'params.id' });
  return run;
}

/** `POST /api/runs`, `GET /api/runs`, `GET /api/runs/:id`, `POST /api/runs/:id/cancel`. */
export function runsRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Body: SubmitRunBody }>(
      '/api/runs',
      {
        config: { scope: 'runs:write' },
        schema: {
          tags: ['runs'],
          summary: 'Start a run of a pipeline (YAML text, or the name of a pipeline that ran before)',
          description:
            'Checks the pipeline (overrides applied first) and starts it on the configured stack; answers 202 once the run is on its way (on the queue stack: its jobs are in Redis). ' +
            "The pipeline's `monitor.retrain.schedule` is registered (or changed, or removed when it has none) first; scheduled runs start from this spec text. " +
            'While the queue cannot take work (Redis away) it answers 503 `MYELIN_ERR_STACK_UNREACHABLE` with Retry-After: resubmit then. ' +
            'An invalid pipeline is 400 with every located message, as `myelin validate` prints them. ' +
            '`{ "pipeline": "penguins" }` reruns the latest spec text recorded for that pipeline name. ' +
            "Files are read only inside the server's pipelines folder (`--pipelines-dir`): relative data paths resolve against it, or against a `baseDir` inside it; " +
            'a `data.source` or `validate.schema` outside it (absolute, `..`, `file://`, a symlink out) is 400 with the field, before anything is recorded; `npm:` sources work.',
          security,
          body: submitRunBodySchema,
          response: {
            202: submitRunResponseSchema,
            ...errorResponses(400, 401, 403, 404, 413, 429, 503),
          },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const { loaded, source, dataDir } = await loadPipelineRequest(body, {
          meta: ctx.stack.meta,
          pipelinesDir: ctx.pipelinesDir,
        });
        // the pipeline's monitor.retrain.schedule: registered, changed or removed before the run
        // starts (a queue that cannot take work refuses first, with 503, rather than the scheduler late)
        await ctx.stack.executor.ping?.();
        await ctx.retrain?.registerSchedule(loaded, { allowOutside: false, noCache: body.noCache ?? false });
        const { runId, accepted, done } = await submitRun(loaded, ctx.stack, {
          trigger: 'api',
          noCache: body.noCache ?? false,
          allowOutside: false,
        });
        // 202 only once the executor has the run (its jobs are in Redis): else 503 with Retry-After
        await accepted;
        ctx.metrics.runsSubmitted.inc({ trigger: 'api', source });
        ctx.inflight.set(runId, done);
        void done.then((s) => {
          ctx.inflight.delete(runId);
          request.log.info({ runId, status: s.status }, 'run ended');
        });
        return reply
          .code(202)
          .header('location', `/api/runs/${runId}`)
          .send({
            runId,
            pipeline: loaded.spec.name,
            specHash: loaded.hash,
            source,
            dataDir,
            links: {
              run: `/api/runs/${runId}`,
              events: `/api/runs/${runId}/events`,
              cancel: `/api/runs/${runId}/cancel`,
            },
          } satisfies SubmittedRun);
      },
    );

    app.get<{ Querystring: ListRunsQuerystring }>(
      '/api/runs',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['runs'],
          summary: 'List runs, newest first, one page at a time',
          security,
          querystring: listRunsQuerySchema,
          response: { 200: listRunsResponseSchema, ...errorResponses(400, 401, 403, 429) },
        },
      },
      async (request): Promise<RunList> => {
        const q = request.query;
        const { runs, nextCursor } = await ctx.stack.meta.listRuns({
          limit: q.limit ?? 50,
          ...(q.status ? { status: q.status } : {}),
          ...(q.pipeline ? { pipeline: q.pipeline } : {}),
          ...(q.cursor ? { cursor: q.cursor } : {}),
        });
        return { runs: runs.map(runView), nextCursor };
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/runs/:id',
      {
        config: { scope: 'read' },
        schema: {
          tags: ['runs'],
          summary: 'One run: state, timings, steps, per-epoch metrics, test metrics, gate verdicts, model',
          security,
          params: runIdParamsSchema,
          response: { 200: runDetailSchema, ...errorResponses(401, 403, 404, 429) },
        },
      },
      async (request): Promise<RunDetail> => {
        const run = await getRunOr404(ctx, request.params.id);
        const epochs = await ctx.stack.meta.listEpochs(run.id);
        return runDetailView(run, epochs);
      },
    );

    app.post<{ Params: { id: string } }>(
      '/api/runs/:id/cancel',
      {
        config: { scope: 'runs:write' },
        schema: {
          tags: ['runs'],
          summary: 'Ask a run to stop',
          description:
            'Steps not started are skipped; training stops at its next epoch boundary and keeps a checkpoint. ' +
            '409 when the run already ended or no executor of this stack holds it (e.g. a `myelin run` in another process).',
          security,
          params: runIdParamsSchema,
          response: { 202: cancelRunResponseSchema, ...errorResponses(401, 403, 404, 409, 429, 503) },
        },
      },
      async (request, reply) => {
        const run = await getRunOr404(ctx, request.params.id);
        if (FINAL.has(run.status)) {
          throw new MyelinError('MYELIN_ERR_API_CONFLICT', `run ${run.id} already ended (${run.status})`);
        }
        const known = await ctx.stack.executor.cancel(run.id);
        if (!known) {
          throw new MyelinError(
            'MYELIN_ERR_API_CONFLICT',
            `run ${run.id} is ${run.status} but no executor of this stack holds it (started by another process, or that process died); stop it where it runs`,
          );
        }
        return reply.code(202).send({ runId: run.id, status: 'cancelling' });
      },
    );
  };
}
