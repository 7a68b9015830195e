import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KyselyMetadataStore } from '../kysely-metadata-store.js';
import type { MetadataStore } from '../metadata-store.js';
import { openEmbeddedMetadataStore } from '../sqlite/open-embedded-metadata-store.js';
import { createMlflowMirror, type MlflowMirror } from './mlflow-mirror.js';
import type { MlflowMirrorOptions } from './mlflow-mirror-options.js';
import { flattenParams } from './flatten-params.js';
import { MlflowClient } from './mlflow-client.js';
import { readKeyMap } from './mlflow-key-map.js';
import { tagValue } from './mlflow-types.js';
import { FakeMlflowServer } from './test-fixtures/fake-mlflow-server.js';
import { MemoryArtifacts, recordFinishedRun } from './test-fixtures/recorded-run.js';

let dir: string;
let meta: MetadataStore;
let mlflow: FakeMlflowServer;
let artifacts: MemoryArtifacts;
const mirrors: MlflowMirror[] = [];

function mirror(over: Partial<MlflowMirrorOptions> = {}): MlflowMirror {
  const m = createMlflowMirror({
    uri: mlflow.uri,
    meta,
    store: artifacts,
    backgroundFlush: false,
    retryBaseMs: 1,
    retryMaxMs: 5,
    ...over,
  });
  mirrors.push(m);
  return m;
}

/** A flush result with nothing refused or skipped. */
const ok = (delivered: number, pending = 0, failed = 0) => ({
  delivered,
  pending,
  failed,
  refused: 0,
  skipped: 0,
});

async function mirrorAll(m: MlflowMirror, r: { runId: string; version: number }): Promise<void> {
  await m.onVersionRegistered('penguins', r.version); // the register step runs before the run ends
  await m.onRunFinished(r.runId);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myelin-mlflow-'));
  meta = await openEmbeddedMetadataStore({ dir });
  mlflow = new FakeMlflowServer();
  await mlflow.start();
  artifacts = new MemoryArtifacts();
});

afterEach(async () => {
  for (const m of mirrors.splice(0)) await m.close();
  await mlflow.stop();
  await meta.close();
  await rm(dir, { recursive: true, force: true });
});

describe('MlflowMirror', () => {
  it('mirrors a run, its version and its alias into MLflow', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await mirrorAll(m, r);
    expect(await m.flush()).toEqual(ok(3));

    expect([...mlflow.experiments.keys()]).toEqual(['penguins-species']);
    expect(mlflow.runs.size).toBe(1);
    const run = [...mlflow.runs.values()][0]!;
    expect(tagValue(run.tags, 'myelin.run_id')).toBe(r.runId);
    expect(tagValue(run.tags, 'myelin.pipeline')).toBe('penguins-species');
    expect(tagValue(run.tags, 'myelin.spec_hash')).toBe('spec-1');
    expect(tagValue(run.tags, 'myelin.data_hash')).toBe('data-1');
    expect(tagValue(run.tags, 'myelin.code_version')).toBe('0.1.0+abc');
    expect(run.info.status).toBe('FINISHED');
    expect(run.info.end_time).toBeTypeOf('number');
    // 126 params (flattened field paths, string values) in two batches of at most 100 (the metrics ride along)
    expect(run.params).toHaveLength(126);
    expect(run.params).toContainEqual({ key: 'train.optimizer.learningRate', value: '0.001' });
    expect(run.params).toContainEqual({ key: 'model.layers.0.units', value: '16' });
    expect(mlflow.count('POST /api/2.0/mlflow/runs/log-batch')).toBe(2);
    expect(mlflow.invalid).toEqual([]);
    // per-epoch metrics with step = epoch, then the test metrics
    expect(run.metrics.filter((x) => x.key === 'loss').map((x) => [x.step, x.value])).toEqual([
      [0, 1],
      [1, 0.5],
      [2, 1 / 3],
    ]);
    expect(run.metrics.filter((x) => x.key.startsWith('test_')).map((x) => x.key)).toEqual([
      'test_accuracy',
      'test_f1',
    ]);

    expect(mlflow.versions).toHaveLength(1);
    const mv = mlflow.versions[0]!;
    // the version's source is the run's model/ folder, which holds every file of its manifest
    expect(mv.source).toBe(`${run.info.artifact_uri}/model`);
    expect(mv.run_id).toBe(run.info.run_id);
    expect(tagValue(mv.tags, 'myelin.manifest')).toBe(r.manifestKey);
    expect(tagValue(mv.tags, 'myelin.gates')).toBe('passed');
    expect(tagValue(mv.tags, 'myelin.gate.accuracy')).toBe('passed: 0.97 (>= 0.9)');
    expect(tagValue(mv.tags, 'myelin.manifest.uri')).toBe(artifacts.locate(r.manifestKey));
    expect(mlflow.models.get('penguins')?.aliases.get('candidate')).toBe('1');
    // the manifest, the model files and the evaluation report went through the artifact proxy
    expect(mlflow.artifactsOf(run.info.run_id)).toEqual([
      'model/evaluation.json',
      'model/manifest.json',
      'model/model.json',
      'model/model.onnx',
      'model/weights.bin',
    ]);
    const listed = await m.client.listArtifacts(run.info.run_id, 'model');
    expect(listed.map((f) => f.path)).toContain('model/model.onnx');
    const manifest = JSON.parse(Buffer.from(await artifacts.getBytes(r.manifestKey)).toString('utf8')) as {
      files: { name: string; key: string }[];
    };
    for (const f of manifest.files) {
      expect(mlflow.artifacts.get(`1/${run.info.run_id}/artifacts/model/${f.name}`)).toEqual(
        Buffer.from(await artifacts.getBytes(f.key)),
      );
    }
  });

  it('mirrors the tune trials as child runs of the run: params, curve per epoch, objective, index/status tags; once', async () => {
    const trials = [
      {
        index: 0,
        params: { 'train.optimizer.learningRate': 0.01, 'model.layers.0.units': 8 },
        status: 'succeeded',
        metric: 0.9,
        epochsRun: 3,
        rung: null,
        curve: [0.9, 0.6, 0.4],
      },
      {
        index: 1,
        params: { 'train.optimizer.learningRate': 0.1, 'model.layers.0.units': 16 },
        status: 'pruned',
        metric: null,
        epochsRun: 1,
        rung: 1,
        curve: [1.2],
      },
      {
        index: 2,
        params: { 'train.optimizer.learningRate': 0.001, 'model.layers.0.units': 16 },
        status: 'succeeded',
        metric: 0.95,
        epochsRun: 3,
        rung: null,
        curve: [0.8, 0.5, 0.3],
      },
    ];
    const r = await recordFinishedRun(meta, artifacts, {
      trainOutputs: {
        tune: {
          strategy: 'grid',
          metric: 'val_accuracy',
          direction: 'max',
          bestTrial: 2,
          bestParams: { 'train.optimizer.learningRate': 0.001, 'model.layers.0.units': 16 },
          bestMetric: 0.95,
        },
        trials,
      },
    });
    const m = mirror();
    await mirrorAll(m, r);
    expect(await m.flush()).toEqual(ok(3));
    expect(mlflow.invalid).toEqual([]);
    expect(mlflow.runs.size).toBe(4);
    const all = [...mlflow.runs.values()];
    const parent = all.find((x) => tagValue(x.tags, 'myelin.run_id') === r.runId)!;
    const children = all
      .filter((x) => tagValue(x.tags, 'mlflow.parentRunId') === parent.info.run_id)
      .sort(
        (a, b) =>
          Number(tagValue(a.tags, 'myelin.trial.index')) - Number(tagValue(b.tags, 'myelin.trial.index')),
      );
    expect(children).toHaveLength(3);
    for (const c of children) expect(c.info.experiment_id).toBe(parent.info.experiment_id);
    expect(children.map((c) => tagValue(c.tags, 'myelin.trial.status'))).toEqual([
      'succeeded',
      'pruned',
      'succeeded',
    ]);
    expect(children.map((c) => c.info.status)).toEqual(['FINISHED', 'KILLED', 'FINISHED']);
    expect(children.map((c) => tagValue(c.tags, 'myelin.trial.best'))).toEqual(['false', 'false', 'true']);
    expect(tagValue(children[1]!.tags, 'myelin.trial.rung')).toBe('1');
    expect(children[0]!.params).toEqual([
      { key: 'model.layers.0.units', value: '8' },
      { key: 'train.optimizer.learningRate', value: '0.01' },
    ]);
    expect(children[2]!.metrics.filter((x) => x.key === 'loss').map((x) => [x.step, x.value])).toEqual([
      [1, 0.8],
      [2, 0.5],
      [3, 0.3],
    ]);
    expect(
      children[2]!.metrics.filter((x) => x.key === 'val_accuracy').map((x) => [x.step, x.value]),
    ).toEqual([[3, 0.95]]);
    expect(children[1]!.metrics.some((x) => x.key === 'val_accuracy')).toBe(false);
    // the parent keeps its own params, not the trials'
    expect(parent.params).toHaveLength(126);

    // queued and flushed again: no second set of child runs
    await m.onRunFinished(r.runId);
    await m.flush();
    expect(mlflow.runs.size).toBe(4);
  });

  it('uploads the model files even when the artifacts are in S3; a server without the artifact proxy gets the S3 URI as source', async () => {
    artifacts = new MemoryArtifacts('s3://models-bucket/myelin');
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await mirrorAll(m, r);
    await m.flush();
    const run = [...mlflow.runs.values()][0]!;
    expect(mlflow.versions[0]?.source).toBe(`${run.info.artifact_uri}/model`);

    const plain = new FakeMlflowServer({ proxyArtifacts: false });
    await plain.start();
    try {
      const m2 = mirror({ uri: plain.uri });
      expect(await m2.flush()).toEqual(ok(3)); // a new server: everything again
      expect(plain.versions[0]?.source).toBe(`s3://models-bucket/myelin/${r.manifestKey}`);
      expect(plain.artifacts.size).toBe(0);
    } finally {
      await plain.stop();
    }
  });

  it('mirrors nothing twice: hooks again, flush again, or a crash after MLflow answered', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await mirrorAll(m, r);
    await m.flush();
    const before = { requests: [...mlflow.requests], metrics: [...mlflow.runs.values()][0]!.metrics.length };

    await mirrorAll(m, r); // the same hooks again queue nothing
    expect(await m.flush()).toEqual(ok(0));
    expect(mlflow.requests).toEqual(before.requests);

    // a crash between MLflow's answer and the outbox update: every row is pending again
    const db = (meta as KyselyMetadataStore).kysely;
    await db
      .withTables<{ mlflow_outbox: { delivered_at: number | null; next_attempt_at: number | null } }>()
      .updateTable('mlflow_outbox')
      .set({ delivered_at: null, next_attempt_at: 0 })
      .execute();
    expect(await m.flush()).toEqual(ok(3));
    expect(mlflow.count('POST /api/2.0/mlflow/runs/create')).toBe(1);
    expect(mlflow.count('POST /api/2.0/mlflow/model-versions/create')).toBe(1);
    expect(mlflow.count('POST /api/2.0/mlflow/runs/log-batch')).toBe(2); // the batches tag says they were applied
    expect([...mlflow.runs.values()][0]!.metrics).toHaveLength(before.metrics);
    expect(mlflow.versions).toHaveLength(1);
  });

  it('an outage never fails the run; once MLflow answers again, sync delivers everything exactly once', async () => {
    await mlflow.goDown();
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await expect(mirrorAll(m, r)).resolves.toBeUndefined();
    expect(await m.flush()).toEqual(ok(0, 3));
    const lag = await m.status();
    expect(lag.pending).toBe(3);
    expect(lag.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);
    expect(lag.lastError).toMatch(/UNREACHABLE/);
    expect(await meta.getRun(r.runId)).toMatchObject({ status: 'succeeded' });

    await mlflow.comeBack();
    expect(await m.flush({ force: true })).toEqual(ok(3));
    expect(await m.flush({ force: true })).toEqual(ok(0));
    expect(mlflow.count('POST /api/2.0/mlflow/runs/create')).toBe(1);
    expect(mlflow.count('POST /api/2.0/mlflow/model-versions/create')).toBe(1);
    expect(mlflow.count('POST /api/2.0/mlflow/registered-models/alias')).toBe(1);
    expect((await m.status()).pending).toBe(0);
  });

  it('the background flush catches up on its own after an outage', async () => {
    await mlflow.goDown();
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror({ backgroundFlush: true, retryBaseMs: 20, retryMaxMs: 100 });
    await mirrorAll(m, r);
    await vi.waitFor(async () => expect((await m.status()).lastError).toMatch(/UNREACHABLE/), {
      timeout: 10_000,
    });
    await mlflow.comeBack();
    await vi.waitFor(async () => expect(await m.status()).toMatchObject({ pending: 0, delivered: 3 }), {
      timeout: 20_000,
      interval: 50,
    });
    expect(mlflow.runs.size).toBe(1);
    expect(mlflow.versions).toHaveLength(1);
  });

  it('moves and removes aliases as Myelin does, latest move last', async () => {
    const r1 = await recordFinishedRun(meta, artifacts, { manifest: 1 });
    const r2 = await recordFinishedRun(meta, artifacts, { manifest: 2 });
    const m = mirror();
    await mirrorAll(m, r1);
    await mirrorAll(m, r2);
    for (const [v, why] of [
      [1, 'first'],
      [2, 'second'],
    ] as const) {
      await meta.setAlias('penguins', 'production', v, { who: 'test', why });
      await m.onAliasMoved('penguins', 'production', v);
    }
    await meta.removeAlias('penguins', 'candidate', { who: 'test' });
    await m.onAliasMoved('penguins', 'candidate', null);
    const result = await m.flush();
    expect(result).toMatchObject({ pending: 0, failed: 0 });
    const model = mlflow.models.get('penguins')!;
    expect(model.aliases.get('production')).toBe('2');
    expect(model.aliases.has('candidate')).toBe(false);
    expect(mlflow.versions.map((v) => tagValue(v.tags, 'myelin.version'))).toEqual(['1', '2']);
  });

  it('an item MLflow refuses (a param logged before with another value) is skipped and reported; the rest is delivered', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    // someone logged a different value for one of the run's params under the same Myelin run id
    const c = mirror().client;
    const exp = await c.ensureExperiment('penguins-species');
    const run = await c.createRun({
      experimentId: exp,
      startTime: 0,
      tags: [{ key: 'myelin.run_id', value: r.runId }],
    });
    await c.logBatch({ runId: run.info.run_id, params: [{ key: 'train.epochs', value: '300' }] });

    const m = mirror();
    await mirrorAll(m, r);
    expect(await m.flush()).toEqual({ delivered: 3, pending: 0, failed: 0, refused: 0, skipped: 1 });
    const got = mlflow.runs.get(run.info.run_id)!;
    expect(got.info.status).toBe('FINISHED');
    expect(got.params).toHaveLength(126); // 125 of the run's params + the one logged before
    expect(got.params).toContainEqual({ key: 'train.epochs', value: '300' });
    expect(got.metrics.length).toBeGreaterThan(0);
    const skipped = JSON.parse(tagValue(got.tags, 'myelin.mirror.skipped') ?? '[]') as { key: string }[];
    expect(skipped).toEqual([
      expect.objectContaining({
        kind: 'param',
        key: 'train.epochs',
        reason: expect.stringMatching(/Changing param values is not allowed/),
      }),
    ]);
    const s = await m.status();
    expect(s).toMatchObject({ pending: 0, failed: 0, delivered: 3, deliveredWithSkips: 1 });
    const [row] = (await m.outbox.list({ state: 'delivered' })).filter((x) => x.kind === 'run');
    expect(row?.skipped).toEqual(skipped);
    expect(row?.lastError).toMatch(/skipped 1 item.*train\.epochs/);
    // the version and alias were not held back
    expect(mlflow.models.get('penguins')?.aliases.get('candidate')).toBe('1');
    // delivered again (a crash before the outbox update) it asks nothing twice and keeps the report
    await (meta as KyselyMetadataStore).kysely
      .withTables<{
        mlflow_outbox: { delivered_at: number | null; next_attempt_at: number | null; kind: string };
      }>()
      .updateTable('mlflow_outbox')
      .set({ delivered_at: null, next_attempt_at: 0 })
      .where('kind', '=', 'run')
      .execute();
    expect(await m.flush()).toMatchObject({ delivered: 1, skipped: 1 });
    expect(mlflow.count('POST /api/2.0/mlflow/runs/create')).toBe(1);
  });

  it('a row MLflow refuses as a whole (a reserved alias) is reported and skipped without blocking the rest; only --retry-refused tries it again', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    await meta.setAlias('penguins', 'latest', r.version, { who: 'test' });
    const m = mirror();
    await mirrorAll(m, r);
    await m.onAliasMoved('penguins', 'latest', r.version);
    expect(await m.flush()).toEqual({ delivered: 3, pending: 0, failed: 1, refused: 1, skipped: 0 });
    expect(mlflow.models.get('penguins')?.aliases.get('candidate')).toBe('1');
    expect(mlflow.models.get('penguins')?.aliases.has('latest')).toBe(false);
    const s = await m.status();
    expect(s).toMatchObject({ failed: 1, refused: 1, delivered: 3 });
    expect(s.lastError).toMatch(/penguins:latest.*reserves the alias "latest"/);
    expect(await m.flush({ force: true })).toMatchObject({ delivered: 0, failed: 1, refused: 1 });
    const before = mlflow.requests.length;
    expect(await m.flush({ force: true, retryRefused: true })).toMatchObject({ delivered: 0, refused: 1 });
    expect(mlflow.requests.length).toBe(before); // refused before asking MLflow anything
  });

  it('maps names into the MLflow alphabet (the penguins pipeline "Body Mass (g)"), reversibly, and keeps every item inside the MLflow limits', async () => {
    const spec = JSON.stringify({
      name: 'penguins',
      validate: {
        columns: {
          'Body Mass (g)': { type: 'number', min: 2000, max: 7000 },
          'Beak Length (mm)': { type: 'number' },
          'a(b': 1,
          'a)b': 2,
        },
      },
      // more params than one batch holds, and values longer than MLflow keeps
      many: Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, i])),
      description: 'é'.repeat(7000),
      ['x'.repeat(300)]: 'long key',
    });
    const r = await recordFinishedRun(meta, artifacts, { spec, epochs: 400 });
    // the name as it is refuses the whole batch on MLflow
    const c = mirror().client;
    const probe = await c.createRun({ experimentId: await c.ensureExperiment('probe'), startTime: 0 });
    await expect(
      c.logBatch({
        runId: probe.info.run_id,
        params: [{ key: 'validate.columns.Body Mass (g).max', value: '7000' }],
      }),
    ).rejects.toMatchObject({
      status: 400,
      errorCode: 'INVALID_PARAMETER_VALUE',
      mlflowMessage: expect.stringMatching(
        /^Invalid parameter name: 'validate\.columns\.Body Mass \(g\)\.max'\. Names may only contain/,
      ),
    });
    const refusedBefore = mlflow.invalid.length;

    const m = mirror();
    await mirrorAll(m, r);
    expect(await m.flush()).toEqual(ok(3));
    expect(mlflow.invalid.length).toBe(refusedBefore); // MLflow refused nothing
    const run = [...mlflow.runs.values()].find((x) => tagValue(x.tags, 'myelin.run_id') === r.runId)!;
    const params = new Map(run.params.map((p) => [p.key, p.value]));
    expect(params.get('validate.columns.Body Mass _g_.max')).toBe('7000');
    expect(params.get('validate.columns.Beak Length _mm_.type')).toBe('number');
    expect(params.get('name')).toBe('penguins'); // names MLflow accepts are unchanged
    expect(params.get('description')).toHaveLength(6000);
    expect(params.get('description')?.endsWith('…')).toBe(true);
    expect(run.params.length).toBe(flattenParams(JSON.parse(spec)).length);
    expect(run.metrics.filter((x) => x.key === 'loss')).toHaveLength(400);
    // clashing names stay apart, and the keymap tag gives every original back
    const names = readKeyMap(run.tags);
    expect(names.get('validate.columns.Body Mass _g_.max')).toBe('validate.columns.Body Mass (g).max');
    const clash = [...names].filter(
      ([, original]) => original === 'validate.columns.a(b' || original === 'validate.columns.a)b',
    );
    expect(clash).toHaveLength(2);
    expect(new Set(clash.map(([k]) => k)).size).toBe(2);
    const long = [...names].find(([, original]) => original === 'x'.repeat(300));
    expect(long?.[0]).toHaveLength(250);
    for (const p of run.params) expect(names.get(p.key) ?? p.key).toBeTypeOf('string');
    const originals = new Set(flattenParams(JSON.parse(spec)).map((p) => p.key));
    for (const p of run.params) expect(originals.has(names.get(p.key) ?? p.key)).toBe(true);
  });

  it('pointing Myelin at a new tracking server mirrors everything there again; the outbox records where each row went', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    const first = mirror();
    await mirrorAll(first, r);
    expect(await first.flush()).toEqual(ok(3));

    const other = new FakeMlflowServer();
    await other.start();
    try {
      const second = mirror({ uri: other.uri });
      const before = await second.status();
      expect(before).toMatchObject({ pending: 0, delivered: 0, notYetQueued: 3 });
      expect(await second.flush()).toEqual(ok(3));
      expect(other.runs.size).toBe(1);
      expect(other.versions).toHaveLength(1);
      expect(other.models.get('penguins')?.aliases.get('candidate')).toBe('1');
      const s = await second.status();
      expect(s.notYetQueued).toBe(0);
      expect(s.servers.map((t) => [t.target, t.delivered])).toEqual(
        [
          [mlflow.uri, 3],
          [other.uri, 3],
        ].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
      );
      // and the first server is not mirrored twice
      expect(await first.flush({ force: true })).toEqual(ok(0));
      expect(mlflow.count('POST /api/2.0/mlflow/runs/create')).toBe(1);
    } finally {
      await other.stop();
    }
  });

  it('rows written before the outbox knew its server are adopted by the first mirror, not sent again', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await mirrorAll(m, r);
    await m.flush();
    const db = (meta as KyselyMetadataStore).kysely.withTables<{ mlflow_outbox: { target: string } }>();
    await db.updateTable('mlflow_outbox').set({ target: '' }).execute(); // as migration 003 leaves them
    const requests = mlflow.requests.length;
    const again = mirror();
    expect(await again.status()).toMatchObject({ delivered: 3, notYetQueued: 0 });
    expect(await again.flush()).toEqual(ok(0));
    expect(mlflow.requests.length).toBe(requests);
    expect((await again.status()).servers).toEqual([
      { target: mlflow.uri, pending: 0, failed: 0, delivered: 3 },
    ]);
  });

  it('a hung MLflow costs one timeout per flush, and status answers without asking MLflow', async () => {
    const r1 = await recordFinishedRun(meta, artifacts, { manifest: 1 });
    const r2 = await recordFinishedRun(meta, artifacts, { manifest: 2 });
    mlflow.hang();
    const m = mirror({ client: new MlflowClient({ uri: mlflow.uri, timeoutMs: 300, retries: 2 }) });
    await mirrorAll(m, r1);
    await mirrorAll(m, r2);
    const queued = (await m.status()).pending;
    expect(queued).toBeGreaterThanOrEqual(5);
    const result = await m.flush({ force: true });
    expect(result).toMatchObject({ delivered: 0, pending: queued, failed: 0 });
    // the first requests (one per run row in flight) hung; nothing else was tried
    expect(new Set(mlflow.requests)).toEqual(new Set(['GET /api/2.0/mlflow/experiments/get-by-name']));
    expect(mlflow.requests.length).toBeLessThanOrEqual(2);
    const asked = mlflow.requests.length;
    const s = await m.status();
    expect(s).toMatchObject({ pending: queued, delivered: 0 });
    expect(s.lastError).toMatch(/TIMEOUT/);
    expect(mlflow.requests.length).toBe(asked);
    mlflow.stopHanging();
    expect(await m.flush({ force: true })).toEqual(ok(queued));
  });

  it('backfill queues runs and versions recorded before the mirror existed, once', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    expect(await m.backfill()).toEqual({ runs: 1, versions: 1, aliases: 1 });
    expect(await m.backfill()).toEqual({ runs: 0, versions: 0, aliases: 0 });
    expect(await m.flush()).toEqual(ok(3));
    expect(tagValue([...mlflow.runs.values()][0]!.tags, 'myelin.run_id')).toBe(r.runId);
    expect(await m.backfill({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual({
      runs: 0,
      versions: 0,
      aliases: 0,
    });
  });

  it('hooks never throw, even for a run that does not exist', async () => {
    const errors: unknown[] = [];
    const m = mirror({ onError: (e) => errors.push(e) });
    await expect(m.onRunFinished('r-missing')).resolves.toBeUndefined();
    await expect(m.onVersionRegistered('nope', 1)).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
    expect((await m.status()).lastError).toMatch(/does not exist|has no version/);
  });
});
