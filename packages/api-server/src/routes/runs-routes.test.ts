import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MyelinErrorList } from '@myelin/errors';
import { parseSpec } from '@myelin/spec';
import { parseEventStream, testServer, tinyPenguins, type TestServer } from '../testing/api-test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(() => s.close());

async function submit(payload: Record<string, unknown>) {
  return s.app.inject({ method: 'POST', url: '/api/runs', payload });
}

/** Follows a run's event stream to its end (the injected response completes when the run has ended). */
async function follow(runId: string, headers: Record<string, string> = {}, query = '') {
  const res = await s.app.inject({ method: 'GET', url: `/api/runs/${runId}/events${query}`, headers });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
  return parseEventStream(res.body);
}

describe('runs: submit, follow, read', () => {
  let runId = '';
  let events: Awaited<ReturnType<typeof follow>> = [];

  it('POST /api/runs with YAML text answers 202 with the run id; the event stream follows it to the end', async () => {
    const res = await submit({ spec: tinyPenguins(), file: 'api-penguins.yaml' });
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json<{ runId: string; pipeline: string; links: { events: string } }>();
    expect(body.runId).toMatch(/^r-/);
    expect(body.pipeline).toBe('api-penguins');
    expect(res.headers.location).toBe(`/api/runs/${body.runId}`);
    runId = body.runId;

    events = await follow(runId);
    const end = events.at(-1)!;
    expect(end.event).toBe('end');
    expect(end.data).toMatchObject({ runId, status: 'succeeded', exitCode: 0 });
    const stored = events.slice(0, -1);
    const ids = stored.map((e) => e.id!);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const steps = stored
      .filter((e) => e.event === 'step')
      .map((e) => e.data.payload as { step: string; status: string });
    expect(steps.filter((p) => p.status === 'succeeded').map((p) => p.step)).toEqual([
      'ingest',
      'validate',
      'preprocess',
      'train',
      'evaluate',
      'register',
    ]);
    const epochs = stored
      .filter((e) => e.event === 'epoch')
      .map((e) => e.data.payload as { epoch: number; metrics: object });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(epochs[0]!.metrics).toHaveProperty('loss');
  });

  it('GET /api/runs/:id gives steps, timings, epochs, test metrics, gate verdicts and the model', async () => {
    const res = await s.app.inject({ method: 'GET', url: `/api/runs/${runId}` });
    expect(res.statusCode).toBe(200);
    const run = res.json();
    expect(run).toMatchObject({
      id: runId,
      pipeline: 'api-penguins',
      status: 'succeeded',
      trigger: 'api',
      exitCode: 0,
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.steps.map((x: { name: string }) => x.name)).toEqual([
      'ingest',
      'validate',
      'preprocess',
      'train',
      'evaluate',
      'register',
    ]);
    expect(run.steps[3]).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect(run.epochs).toHaveLength(3);
    expect(typeof run.metrics.test.accuracy).toBe('number');
    expect(run.gates.accuracy).toMatchObject({ passed: true, bound: '>= 0.2' });
    expect(run.model).toMatchObject({ name: 'api-penguins', version: 1, aliases: ['staging'] });
    expect(run.specText).toBe(tinyPenguins());
  });

  it('serves the stored evaluation and validation reports, and verifies the registered version', async () => {
    const ev = await s.app.inject({ method: 'GET', url: `/api/runs/${runId}/reports/evaluation` });
    expect(ev.statusCode, ev.body).toBe(200);
    const report = ev.json();
    expect(report.task).toBe('multiclass');
    expect(report.confusionMatrix).toHaveLength(3);
    expect(report.reliability.length).toBeGreaterThan(0);
    expect(report.gates.passed).toBe(true);
    const va = await s.app.inject({ method: 'GET', url: `/api/runs/${runId}/reports/validation` });
    expect(va.statusCode).toBe(200);
    expect(va.json().profile.columns.find((c: { name: string }) => c.name === 'Sex').missing).toBe(10);
    const missing = await s.app.inject({ method: 'GET', url: '/api/runs/r-nope/reports/evaluation' });
    expect(missing.statusCode).toBe(404);
    const verify = await s.app.inject({ method: 'POST', url: '/api/models/api-penguins/versions/1/verify' });
    expect(verify.statusCode, verify.body).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true, model: 'api-penguins', version: 1, problems: [] });
    const none = await s.app.inject({ method: 'POST', url: '/api/models/api-penguins/versions/99/verify' });
    expect(none.statusCode).toBe(404);
  });

  it('resumes the event stream after Last-Event-ID (or ?after=) with only later events', async () => {
    const stored = events.filter((e) => e.id !== undefined);
    const cut = stored[Math.floor(stored.length / 2)]!.id!;
    const later = stored.filter((e) => e.id! > cut).map((e) => e.id);
    const resumed = await follow(runId, { 'last-event-id': String(cut) });
    expect(resumed.filter((e) => e.id !== undefined).map((e) => e.id)).toEqual(later);
    expect(resumed.at(-1)!.event).toBe('end');
    const viaQuery = await follow(runId, {}, `?after=${cut}`);
    expect(viaQuery.filter((e) => e.id !== undefined).map((e) => e.id)).toEqual(later);
    const bad = await s.app.inject({
      method: 'GET',
      url: `/api/runs/${runId}/events`,
      headers: { 'last-event-id': 'yesterday' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('reruns a pipeline by name with overrides; lists runs with filters and cursor pages', async () => {
    const res = await submit({
      pipeline: 'api-penguins',
      overrides: { 'train.epochs': 2, 'train.optimizer': { name: 'sgd' } },
    });
    expect(res.statusCode, res.body).toBe(202);
    const second = res.json<{ runId: string; source: string }>();
    expect(second.source).toBe('pipeline');
    const events2 = await follow(second.runId);
    expect(events2.at(-1)!.data.status).toBe('succeeded');
    expect(events2.filter((e) => e.event === 'epoch')).toHaveLength(2);
    const detail = (await s.app.inject({ method: 'GET', url: `/api/runs/${second.runId}` })).json();
    expect(detail.specText).toContain('epochs: 2');
    expect(detail.specText).toContain('optimizer: {"name":"sgd"}');

    const page1 = await s.app.inject({
      method: 'GET',
      url: '/api/runs?pipeline=api-penguins&status=succeeded&limit=1',
    });
    expect(page1.statusCode).toBe(200);
    const p1 = page1.json<{ runs: { id: string; specText?: string }[]; nextCursor: string }>();
    expect(p1.runs.map((r) => r.id)).toEqual([second.runId]);
    expect(p1.runs[0]).not.toHaveProperty('specText');
    const page2 = await s.app.inject({
      method: 'GET',
      url: `/api/runs?pipeline=api-penguins&limit=1&cursor=${p1.nextCursor}`,
    });
    expect(page2.json().runs.map((r: { id: string }) => r.id)).toEqual([runId]);
    const none = await s.app.inject({ method: 'GET', url: '/api/runs?status=failed' });
    expect(none.json().runs).toEqual([]);
    const badQuery = await s.app.inject({ method: 'GET', url: '/api/runs?status=sleeping&limit=0' });
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().error.code).toBe('MYELIN_ERR_API_REQUEST');
  });
});

describe('runs: invalid pipelines and requests', () => {
  it('answers 400 with every located message, the same as the spec parser gives the CLI', async () => {
    const text = tinyPenguins().replace('epochs: 3', 'epochs: fast').replace('model:', 'modle:');
    const res = await submit({ spec: text, file: 'broken.yaml' });
    expect(res.statusCode).toBe(400);
    let cli: MyelinErrorList | undefined;
    try {
      parseSpec(text, 'broken.yaml');
    } catch (e) {
      cli = e as MyelinErrorList;
    }
    const body = res.json<{
      error: { code: string; message: string; details: { message: string; line: number }[] };
    }>();
    expect(body.error.details.map((d) => d.message)).toEqual(cli!.errors.map((e) => e.message));
    expect(body.error.message).toBe(cli!.message);
    expect(body.error.details.find((d) => d.message.includes('train.epochs'))).toMatchObject({
      line: 10,
      column: 3,
    });
    expect(res.body).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  });

  it('points messages caused by an override at the override, and keeps other lines where the client wrote them', async () => {
    const text = tinyPenguins().replace('batchSize: 32', 'batchSize: many');
    const res = await submit({
      spec: text,
      overrides: { 'train.epochs': 'fast', 'train.seed': 4, 'train.patience': 3 },
    });
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { message: string; line?: number; path?: string }[];
    expect(details.find((d) => d.path === 'train.epochs')!.message).toMatch(
      /set by the override "train.epochs"/,
    );
    expect(details.find((d) => d.path === 'train.patience')!.message).toMatch(
      /set by the override "train.patience"/,
    );
    expect(details.find((d) => d.path === 'train.batchSize')).toMatchObject({ line: 11 });
  });

  it('names an override whose path cannot be set', async () => {
    const res = await submit({
      spec: tinyPenguins(),
      overrides: { 'train.epochs.max': 3, 'model.layers[4].dense': {} },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('MYELIN_ERR_API_OVERRIDE');
    expect(body.error.details.map((d: { message: string }) => d.message)).toEqual([
      'overrides: override "train.epochs.max" cannot be set: train.epochs holds a number, not a mapping',
      'overrides: override "model.layers[4].dense" cannot be set: model.layers has 1 item(s), so [4] does not exist',
    ]);
  });

  it('refuses a body that is not the request schema, both or neither pipeline field, and unknown names', async () => {
    const extra = await submit({ spec: tinyPenguins(), colour: 'blue' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error).toMatchObject({ code: 'MYELIN_ERR_API_REQUEST' });
    expect(extra.json().error.message).toContain('colour');
    const both = await submit({ spec: tinyPenguins(), pipeline: 'api-penguins' });
    expect(both.statusCode).toBe(400);
    const neither = await submit({});
    expect(neither.statusCode).toBe(400);
    const unknown = await submit({ pipeline: 'never-ran' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('MYELIN_ERR_REGISTRY_NOT_FOUND');
    const notJson = await s.app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { 'content-type': 'application/json' },
      payload: '{"spec": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('MYELIN_ERR_API_REQUEST');
  });

  it('answers 404 for unknown runs, in the one error shape', async () => {
    for (const url of ['/api/runs/r-nope', '/api/runs/r-nope/events']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        error: {
          code: 'MYELIN_ERR_REGISTRY_NOT_FOUND',
          message: 'params.id: no run with id r-nope',
          details: [expect.any(Object)],
        },
      });
    }
    const cancel = await s.app.inject({ method: 'POST', url: '/api/runs/r-nope/cancel' });
    expect(cancel.statusCode).toBe(404);
  });
});

describe('runs: cancel', () => {
  it('cancels a training run at an epoch boundary; a second cancel is 409', async () => {
    const res = await submit({ spec: tinyPenguins({ name: 'api-cancel', epochs: 500 }) });
    expect(res.statusCode).toBe(202);
    const { runId } = res.json<{ runId: string }>();
    for (;;) {
      const run = (await s.app.inject({ method: 'GET', url: `/api/runs/${runId}` })).json();
      if (run.epochs.length > 0) break;
      expect(run.status).not.toMatch(/succeeded|failed|cancelled/);
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancel = await s.app.inject({ method: 'POST', url: `/api/runs/${runId}/cancel` });
    expect(cancel.statusCode).toBe(202);
    expect(cancel.json()).toEqual({ runId, status: 'cancelling' });
    const events = await follow(runId);
    expect(events.at(-1)!.data).toMatchObject({
      status: 'cancelled',
      error: { code: 'MYELIN_ERR_RUN_CANCELLED' },
    });
    expect(events.filter((e) => e.event === 'epoch').length).toBeLessThan(500);
    const again = await s.app.inject({ method: 'POST', url: `/api/runs/${runId}/cancel` });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('MYELIN_ERR_API_CONFLICT');
  });
});
