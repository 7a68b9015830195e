import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEventStream, testServer, tinyPenguins, type TestServer } from '../testing/api-test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

const TUNE = `tune:
  maxTrials: 3
  parallelism: 2
  space:
    train.optimizer.learningRate: { logUniform: [0.001, 0.05] }
    model.layers[0].units: { int: [4, 12] }
`;

describe('GET /api/runs/:id/trials', () => {
  it('lists the trials of a tuned run and the best one; a run without tune has none; an unknown run is a 404', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: { spec: tinyPenguins({ name: 'api-tune' }) + TUNE, file: 'api-tune.yaml' },
    });
    expect(res.statusCode, res.body).toBe(202);
    const { runId } = res.json<{ runId: string }>();
    const events = parseEventStream(
      (await s.app.inject({ method: 'GET', url: `/api/runs/${runId}/events` })).body,
    );
    expect(events.at(-1)?.data).toMatchObject({ status: 'succeeded' });

    const trials = await s.app.inject({ method: 'GET', url: `/api/runs/${runId}/trials` });
    expect(trials.statusCode, trials.body).toBe(200);
    const body = trials.json<{
      tune: { bestTrial: number; metric: string };
      trials: {
        index: number;
        status: string;
        metric: number;
        params: Record<string, number>;
        curve: number[];
      }[];
    }>();
    expect(body.trials.map((t) => t.index)).toEqual([0, 1, 2]);
    expect(body.trials.every((t) => t.status === 'succeeded' && t.curve.length === 3)).toBe(true);
    expect(body.trials[0]!.params).toHaveProperty(['model.layers[0].units']);
    expect(body.tune.metric).toBe('accuracy');
    expect(body.trials[body.tune.bestTrial]!.metric).toBe(Math.max(...body.trials.map((t) => t.metric)));

    const plainRun = await s.app.inject({
      method: 'POST',
      url: '/api/runs',
      payload: { spec: tinyPenguins({ name: 'api-plain' }), file: 'api-plain.yaml' },
    });
    const plainId = plainRun.json<{ runId: string }>().runId;
    await s.app.inject({ method: 'GET', url: `/api/runs/${plainId}/events` });
    const none = await s.app.inject({ method: 'GET', url: `/api/runs/${plainId}/trials` });
    expect(none.json()).toEqual({ runId: plainId, tune: null, trials: [] });

    const missing = await s.app.inject({ method: 'GET', url: '/api/runs/r-nope/trials' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'MYELIN_ERR_REGISTRY_NOT_FOUND' } });
  });
});
