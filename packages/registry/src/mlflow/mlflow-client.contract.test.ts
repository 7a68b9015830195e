import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowClient, toMetricValue } from './mlflow-client.js';
import { planBatches } from './mlflow-batches.js';
import { MlflowError } from './mlflow-error.js';
import type { MlflowMetric, MlflowParam, MlflowTag } from './mlflow-types.js';
import { loadTranscript, recorded, type RecordedCall } from './test-fixtures/mlflow-transcript.js';
import { ReplayMlflowServer } from './test-fixtures/replay-mlflow-server.js';

const calls = loadTranscript();
const RUN = 'e93ff1a99a474682949b6b25133d5768';

/** Each recorded call the adapter makes, as the client call that should send exactly it. */
const CLIENT_CALLS: Record<string, (c: MlflowClient, req: Record<string, unknown>) => Promise<unknown>> = {
  'experiments.create': (c) => c.createExperiment('penguins-species'),
  'experiments.create duplicate (error)': (c) => c.createExperiment('penguins-species'),
  'experiments.get-by-name': (c) => c.getExperimentByName('penguins-species'),
  'experiments.get-by-name missing (error)': (c) => c.getExperimentByName('nope'),
  'runs.create': (c, r) =>
    c.createRun({
      experimentId: '1',
      runName: 'run-1',
      startTime: r.start_time as number,
      tags: r.tags as MlflowTag[],
    }),
  'runs.log-batch': (c, r) =>
    c.logBatch({
      runId: RUN,
      params: r.params as MlflowParam[],
      metrics: r.metrics as MlflowMetric[],
      tags: r.tags as MlflowTag[],
    }),
  'runs.log-batch param overwrite (error)': (c, r) =>
    c.logBatch({ runId: RUN, params: r.params as MlflowParam[] }),
  'runs.log-metric': (c) =>
    c.logMetric({ runId: RUN, key: 'test_accuracy', value: 0.97, timestamp: 1795900000010, step: 0 }),
  'runs.log-metric NaN': (c) =>
    c.logMetric({ runId: RUN, key: 'ece', value: toMetricValue(NaN), timestamp: 1795900000010, step: 0 }),
  'runs.log-batch too many params (error)': (c, r) =>
    c.logBatch({ runId: RUN, params: r.params as MlflowParam[] }),
  'mlflow-artifacts.put': (c) =>
    c.uploadArtifact(
      `mlflow-artifacts:/1/${RUN}/artifacts`,
      'model/manifest.json',
      new TextEncoder().encode('{"files": []}'),
      'application/json',
    ),
  'runs.update': (c) => c.updateRun({ runId: RUN, status: 'FINISHED', endTime: 1795900000020 }),
  'runs.get': (c) => c.getRun(RUN),
  'runs.get missing (error)': (c) => c.getRun('0'.repeat(32)),
  'runs.search': (c) =>
    c.searchRuns({
      experimentIds: ['1'],
      filter: 'metrics.test_accuracy > 0.9',
      maxResults: 10,
      orderBy: ['metrics.test_accuracy DESC'],
    }),
  'registered-models.create': (c) =>
    c.createRegisteredModel({
      name: 'penguins',
      description: 'Penguin species classifier',
      tags: [{ key: 'owner', value: 'ml' }],
    }),
  'registered-models.create duplicate (error)': (c) => c.createRegisteredModel({ name: 'penguins' }),
  'model-versions.create': (c, r) =>
    c.createModelVersion({
      name: 'penguins',
      source: r.source as string,
      runId: RUN,
      tags: r.tags as MlflowTag[],
      description: 'first',
    }),
  'model-versions.create second': (c, r) =>
    c.createModelVersion({ name: 'penguins', source: r.source as string, runId: RUN }),
  'registered-models.alias set': (c) => c.setAlias('penguins', 'production', '1'),
  'registered-models.alias set canary': (c) => c.setAlias('penguins', 'canary', '2'),
  'registered-models.alias get': (c) => c.getVersionByAlias('penguins', 'production'),
  'registered-models.alias get missing (error)': (c) => c.getVersionByAlias('penguins', 'nope'),
  'registered-models.alias move production to v2': (c) => c.setAlias('penguins', 'production', '2'),
  'registered-models.get': (c) => c.getRegisteredModel('penguins'),
  'registered-models.get missing (error)': (c) => c.getRegisteredModel('nope'),
  'model-versions.search': (c) => c.searchModelVersions({ filter: "name='penguins'" }),
  'model-versions.set-tag': (c) => c.setModelVersionTag('penguins', '1', 'myelin.gates', 'passed'),
  'registered-models.alias delete': (c) => c.deleteAlias('penguins', 'canary'),
};

/** Recorded calls the mirror never makes (reads for people, not for mirroring). */
const NOT_USED = new Set([
  'metrics.get-history',
  'artifacts.list',
  'model-versions.get',
  'model-versions.get-download-uri',
  'registered-models.search',
  'missing content-type (error)', // tested on its own below: the client always sends the header
]);

/** What the client turns each recorded error into: a typed error, or an answer. */
const ERROR_OUTCOME: Record<string, { throws: string } | { returns: null }> = {
  'experiments.create duplicate (error)': { throws: 'RESOURCE_ALREADY_EXISTS' },
  'experiments.get-by-name missing (error)': { returns: null },
  'runs.log-batch param overwrite (error)': { throws: 'INVALID_PARAMETER_VALUE' },
  'runs.log-batch too many params (error)': { throws: 'INVALID_PARAMETER_VALUE' },
  'runs.get missing (error)': { returns: null },
  'registered-models.create duplicate (error)': { throws: 'RESOURCE_ALREADY_EXISTS' },
  'registered-models.alias get missing (error)': { returns: null },
  'registered-models.get missing (error)': { returns: null },
};

describe('MlflowClient against the recorded MLflow 2.10.2 transcript', () => {
  const server = new ReplayMlflowServer(recorded(calls, 'missing content-type (error)'));
  let client: MlflowClient;
  beforeAll(async () => {
    await server.start();
    client = new MlflowClient({ uri: server.uri, retries: 0 });
  });
  afterAll(() => server.stop());

  it('covers every recorded call: made by the adapter, or listed as unused', () => {
    const unknown = calls.map((c) => c.name).filter((n) => !(n in CLIENT_CALLS) && !NOT_USED.has(n));
    expect(unknown).toEqual([]);
    const errors = calls.filter((c) => c.status >= 400 && !NOT_USED.has(c.name)).map((c) => c.name);
    expect(errors.sort()).toEqual(Object.keys(ERROR_OUTCOME).sort());
  });

  const used = calls.filter((c) => c.name in CLIENT_CALLS);
  it.each(used.map((c) => [c.name, c] as [string, RecordedCall]))(
    '%s: same method, path, query and body',
    async (_name, call) => {
      server.answerWith(call);
      const before = server.received.length;
      const outcome = await CLIENT_CALLS[call.name]!(
        client,
        (call.request ?? {}) as Record<string, unknown>,
      ).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      const sent = server.received.slice(before);
      expect(sent).toHaveLength(1);
      const req = sent[0]!;
      expect(req.method).toBe(call.method);
      expect(req.path).toBe(call.path);
      expect(req.query).toEqual(call.query);
      expect(req.body).toEqual(call.request);
      if (call.method !== 'GET') expect(req.contentType).toMatch(/^application\/json/);

      const expected = ERROR_OUTCOME[call.name];
      if (expected && 'throws' in expected) {
        expect('error' in outcome).toBe(true);
        const e = (outcome as { error: unknown }).error;
        expect(e).toBeInstanceOf(MlflowError);
        expect((e as MlflowError).errorCode).toBe(expected.throws);
        expect((e as MlflowError).status).toBe(call.status);
        expect((e as MlflowError).mlflowMessage).toBe(call.response.message);
        expect((e as MlflowError).retryable).toBe(false);
      } else if (expected) {
        expect(outcome).toEqual({ value: null });
      } else {
        expect(outcome).not.toHaveProperty('error');
      }
    },
  );

  it('maps recorded answers into typed results', async () => {
    server.answerWith(recorded(calls, 'experiments.create'));
    expect(await client.createExperiment('penguins-species')).toBe('1');
    server.answerWith(recorded(calls, 'runs.create'));
    const run = await client.createRun({ experimentId: '1', runName: 'run-1', startTime: 1795900000000 });
    expect(run.info.run_id).toBe(RUN);
    expect(run.info.artifact_uri).toBe(`mlflow-artifacts:/1/${RUN}/artifacts`);
    server.answerWith(recorded(calls, 'registered-models.alias get'));
    expect((await client.getVersionByAlias('penguins', 'production'))?.version).toBe('1');
    server.answerWith(recorded(calls, 'model-versions.search'));
    const hit = await client.findModelVersionByTag('penguins', 'myelin.manifest.sha256', 'ab'.repeat(32));
    expect(hit?.version).toBe('1');
    expect(server.received.at(-1)).toMatchObject({ method: 'GET', query: { filter: "name='penguins'" } });
  });

  it('sends Content-Type on every write; MLflow answers a POST without it with 400 INVALID_PARAMETER_VALUE', async () => {
    const missing = recorded(calls, 'missing content-type (error)');
    const res = await fetch(`${server.uri}${missing.path}`, {
      method: 'POST',
      body: '{"name":"x"}',
      headers: { 'Content-Type': '' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(missing.response);
    // the same answer, when the client gets it, is a typed error
    server.answerWith(missing);
    const e = await client.createExperiment('x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowError);
    expect(e).toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
      status: 400,
      mlflowMessage: missing.response.message,
    });
    expect(server.received.filter((r) => r.method !== 'GET' && !r.contentType).length).toBe(1); // only the raw fetch
  });

  it('never sends more than 100 params in one batch: 101 params become 100 + 1', () => {
    const params = (
      recorded(calls, 'runs.log-batch too many params (error)').request as { params: MlflowParam[] }
    ).params;
    expect(params).toHaveLength(101);
    const batches = planBatches({ params, metrics: [], tags: [] });
    expect(batches.map((b) => b.params.length)).toEqual([100, 1]);
  });

  it('ensureExperiment / ensureRegisteredModel treat RESOURCE_ALREADY_EXISTS as "exists"', async () => {
    // get-by-name says missing, create says duplicate (another writer won), get-by-name again finds it
    const answers = [
      recorded(calls, 'experiments.get-by-name missing (error)'),
      recorded(calls, 'experiments.create duplicate (error)'),
      recorded(calls, 'experiments.get-by-name'),
    ];
    const sequenced = new MlflowClient({
      uri: server.uri,
      retries: 0,
      fetch: async (input, init) => {
        server.answerWith(answers.shift()!);
        return fetch(input, init);
      },
    });
    expect(await sequenced.ensureExperiment('penguins-species')).toBe('1');
    const modelAnswers = [
      recorded(calls, 'registered-models.get missing (error)'),
      recorded(calls, 'registered-models.create duplicate (error)'),
    ];
    const models = new MlflowClient({
      uri: server.uri,
      retries: 0,
      fetch: async (input, init) => {
        server.answerWith(modelAnswers.shift()!);
        return fetch(input, init);
      },
    });
    await expect(models.ensureRegisteredModel({ name: 'penguins' })).resolves.toBeUndefined();
  });

  it('reports an unreachable server as a retryable MlflowError with status 0', async () => {
    const down = new MlflowClient({ uri: 'http://127.0.0.1:9', retries: 1, retryDelayMs: 1 });
    const e = await down.getExperimentByName('x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MlflowError);
    expect(e).toMatchObject({
      errorCode: 'UNREACHABLE',
      status: 0,
      retryable: true,
      code: 'MYELIN_ERR_MLFLOW_UNREACHABLE',
    });
  });

  it('refuses a tracking URI that is not http(s)', () => {
    expect(() => new MlflowClient({ uri: 'file:///tmp/mlruns' })).toThrow(/http/);
    expect(() => new MlflowClient({ uri: 'not a url' })).toThrow(/not a URL/);
  });
});
