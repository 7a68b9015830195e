import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KyselyMetadataStore } from '../kysely-metadata-store.js';
import type { MetadataStore } from '../metadata-store.js';
import { openEmbeddedMetadataStore } from '../sqlite/open-embedded-metadata-store.js';
import { createMlflowMirror, type MlflowMirror } from './mlflow-mirror.js';
import type { MlflowMirrorOptions } from './mlflow-mirror-options.js';
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
    expect(await m.flush()).toEqual({ delivered: 3, pending: 0, failed: 0 });

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
    // 126 params (flattened field paths, string values) in two batches of at most 100
    expect(run.params).toHaveLength(126);
    expect(run.params).toContainEqual({ key: 'train.optimizer.learningRate', value: '0.001' });
    expect(run.params).toContainEqual({ key: 'model.layers.0.units', value: '16' });
    expect(mlflow.count('POST /api/2.0/mlflow/runs/log-batch')).toBe(3); // 100 params, 26 params, metrics
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
    expect(mv.source).toBe(`${run.info.artifact_uri}/model`);
    expect(mv.run_id).toBe(run.info.run_id);
    expect(tagValue(mv.tags, 'myelin.manifest')).toBe(r.manifestKey);
    expect(tagValue(mv.tags, 'myelin.gates')).toBe('passed');
    expect(tagValue(mv.tags, 'myelin.gate.accuracy')).toBe('passed: 0.97 (>= 0.9)');
    expect(tagValue(mv.tags, 'myelin.manifest.uri')).toBe(artifacts.locate(r.manifestKey));
    expect(mlflow.models.get('penguins')?.aliases.get('candidate')).toBe('1');
    // the manifest and evaluation report went through the artifact proxy
    expect([...mlflow.artifacts.keys()].sort()).toEqual([
      `1/${run.info.run_id}/artifacts/model/evaluation.json`,
      `1/${run.info.run_id}/artifacts/model/manifest.json`,
    ]);
  });

  it('uses the S3 URI as the version source when the artifacts are in S3', async () => {
    artifacts = new MemoryArtifacts('s3://models-bucket/myelin');
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await mirrorAll(m, r);
    await m.flush();
    expect(mlflow.versions[0]?.source).toBe(`s3://models-bucket/myelin/${r.manifestKey}`);
  });

  it('mirrors nothing twice: hooks again, flush again, or a crash after MLflow answered', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await mirrorAll(m, r);
    await m.flush();
    const before = { requests: [...mlflow.requests], metrics: [...mlflow.runs.values()][0]!.metrics.length };

    await mirrorAll(m, r); // the same hooks again queue nothing
    expect(await m.flush()).toEqual({ delivered: 0, pending: 0, failed: 0 });
    expect(mlflow.requests).toEqual(before.requests);

    // a crash between MLflow's answer and the outbox update: every row is pending again
    const db = (meta as KyselyMetadataStore).kysely;
    await db
      .withTables<{ mlflow_outbox: { delivered_at: number | null; next_attempt_at: number | null } }>()
      .updateTable('mlflow_outbox')
      .set({ delivered_at: null, next_attempt_at: 0 })
      .execute();
    expect(await m.flush()).toEqual({ delivered: 3, pending: 0, failed: 0 });
    expect(mlflow.count('POST /api/2.0/mlflow/runs/create')).toBe(1);
    expect(mlflow.count('POST /api/2.0/mlflow/model-versions/create')).toBe(1);
    expect(mlflow.count('POST /api/2.0/mlflow/runs/log-batch')).toBe(3); // the batches tag says they were applied
    expect([...mlflow.runs.values()][0]!.metrics).toHaveLength(before.metrics);
    expect(mlflow.versions).toHaveLength(1);
  });

  it('an outage never fails the run; once MLflow answers again, sync delivers everything exactly once', async () => {
    await mlflow.goDown();
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    await expect(mirrorAll(m, r)).resolves.toBeUndefined();
    expect(await m.flush()).toEqual({ delivered: 0, pending: 3, failed: 0 });
    const lag = await m.status();
    expect(lag.pending).toBe(3);
    expect(lag.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);
    expect(lag.lastError).toMatch(/UNREACHABLE/);
    expect(await meta.getRun(r.runId)).toMatchObject({ status: 'succeeded' });

    await mlflow.comeBack();
    expect(await m.flush({ force: true })).toEqual({ delivered: 3, pending: 0, failed: 0 });
    expect(await m.flush({ force: true })).toEqual({ delivered: 0, pending: 0, failed: 0 });
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

  it('a row MLflow refuses (param overwrite) is marked failed with the reason, and not retried by itself', async () => {
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
    await m.onRunFinished(r.runId);
    expect(await m.flush()).toEqual({ delivered: 0, pending: 0, failed: 1 });
    expect((await m.status()).lastError).toMatch(
      /INVALID_PARAMETER_VALUE: Changing param values is not allowed/,
    );
    expect(await m.flush()).toMatchObject({ delivered: 0, failed: 1 });
    expect(mlflow.count('POST /api/2.0/mlflow/runs/create')).toBe(1);
  });

  it('backfill queues runs and versions recorded before the mirror existed, once', async () => {
    const r = await recordFinishedRun(meta, artifacts);
    const m = mirror();
    expect(await m.backfill()).toEqual({ runs: 1, versions: 1, aliases: 1 });
    expect(await m.backfill()).toEqual({ runs: 0, versions: 0, aliases: 0 });
    expect(await m.flush()).toEqual({ delivered: 3, pending: 0, failed: 0 });
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
