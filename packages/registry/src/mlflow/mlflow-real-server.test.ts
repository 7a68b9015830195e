import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedMetadataStore } from '../sqlite/open-embedded-metadata-store.js';
import { MlflowClient } from './mlflow-client.js';
import { MlflowError } from './mlflow-error.js';
import { createMlflowMirror } from './mlflow-mirror.js';
import { tagValue } from './mlflow-types.js';
import { MemoryArtifacts, recordFinishedRun } from './test-fixtures/recorded-run.js';

// Opt-in: the same scenarios against a real MLflow (≥ 2.10, started with artifact proxying),
// e.g. `mlflow server --backend-store-uri sqlite:///mlflow.db --port 5000` and
// MLFLOW_TRACKING_URI=http://127.0.0.1:5000.
const uri = process.env.MLFLOW_TRACKING_URI;
if (!uri) console.info('skipping the real MLflow suite: set MLFLOW_TRACKING_URI=http://host:port to run it');

const unique = `myelin-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe.skipIf(!uri)(`MLflow client and mirror against ${uri ?? 'a real server'}`, () => {
  const client = new MlflowClient({ uri: uri ?? 'http://127.0.0.1:5000' });

  it('handles the recorded errors the same way', async () => {
    const exp = await client.ensureExperiment(unique);
    expect(await client.ensureExperiment(unique)).toBe(exp);
    await expect(client.createExperiment(unique)).rejects.toMatchObject({
      errorCode: 'RESOURCE_ALREADY_EXISTS',
      status: 400,
    });
    expect(await client.getExperimentByName(`${unique}-nope`)).toBeNull();
    expect(await client.getRun('0'.repeat(32))).toBeNull();
    const run = await client.createRun({
      experimentId: exp,
      startTime: Date.now(),
      tags: [{ key: 'myelin.run_id', value: unique }],
    });
    expect((await client.findRunByTag(exp, 'myelin.run_id', unique))?.info.run_id).toBe(run.info.run_id);
    await client.logBatch({ runId: run.info.run_id, params: [{ key: 'a', value: '1' }] });
    await expect(
      client.logBatch({ runId: run.info.run_id, params: [{ key: 'a', value: '2' }] }),
    ).rejects.toMatchObject({
      errorCode: 'INVALID_PARAMETER_VALUE',
    });
    const many = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'x' }));
    await expect(client.logBatch({ runId: run.info.run_id, params: many })).rejects.toBeInstanceOf(
      MlflowError,
    );
    await client.ensureRegisteredModel({ name: unique });
    await client.ensureRegisteredModel({ name: unique });
    expect(await client.getRegisteredModel(`${unique}-nope`)).toBeNull();
    expect(await client.getVersionByAlias(unique, 'nope')).toBeNull();
  });

  it('mirrors a recorded run, version and alias exactly once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'myelin-mlflow-real-'));
    const meta = await openEmbeddedMetadataStore({ dir });
    try {
      const artifacts = new MemoryArtifacts();
      const r = await recordFinishedRun(meta, artifacts);
      // writes experiment "penguins-species" and model "penguins": use a scratch server
      const mirror = createMlflowMirror({ uri: uri!, meta, store: artifacts, backgroundFlush: false });
      await mirror.onVersionRegistered('penguins', r.version);
      await mirror.onRunFinished(r.runId);
      expect(await mirror.flush()).toEqual({ delivered: 3, pending: 0, failed: 0 });
      expect(await mirror.flush({ force: true })).toEqual({ delivered: 0, pending: 0, failed: 0 });
      const exp = (await client.getExperimentByName('penguins-species'))!.experiment_id;
      const run = await client.findRunByTag(exp, 'myelin.run_id', r.runId);
      expect(run?.info.status).toBe('FINISHED');
      const mv = await client.findModelVersionByTag('penguins', 'myelin.manifest', r.manifestKey);
      expect(tagValue(mv?.tags, 'myelin.run_id')).toBe(r.runId);
      expect((await client.getVersionByAlias('penguins', 'candidate'))?.version).toBe(mv?.version);
      await mirror.close();
    } finally {
      await meta.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
