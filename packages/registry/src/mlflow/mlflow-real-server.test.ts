import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEmbeddedMetadataStore } from '../sqlite/open-embedded-metadata-store.js';
import { MlflowClient } from './mlflow-client.js';
import { MlflowError } from './mlflow-error.js';
import { readKeyMap } from './mlflow-key-map.js';
import { createMlflowMirror } from './mlflow-mirror.js';
import { tagValue } from './mlflow-types.js';
import { MemoryArtifacts, recordFinishedRun, specText } from './test-fixtures/recorded-run.js';

// Opt-in: the same scenarios against a real MLflow (≥ 2.10, started with artifact proxying, the
// 2.x default), e.g. `mlflow server --backend-store-uri sqlite:///mlflow.db --port 5000` and
// MLFLOW_TRACKING_URI=http://127.0.0.1:5000. Every name is unique to this test run (experiment,
// model, manifest and file keys), so the suite passes on a server reused from earlier runs; the
// timeouts are generous, so it passes on a server that has just started (its first requests
// create its database).
const uri = process.env.MLFLOW_TRACKING_URI;
if (!uri) console.info('skipping the real MLflow suite: set MLFLOW_TRACKING_URI=http://host:port to run it');

const unique = `myelin-test-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const TEST_TIMEOUT = 180_000;

describe.skipIf(!uri)(`MLflow client and mirror against ${uri ?? 'a real server'}`, () => {
  const client = new MlflowClient({ uri: uri ?? 'http://127.0.0.1:5000', timeoutMs: 60_000 });

  it(
    'handles the recorded errors the same way',
    async () => {
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
      ).rejects.toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE' });
      const many = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'x' }));
      await expect(client.logBatch({ runId: run.info.run_id, params: many })).rejects.toBeInstanceOf(
        MlflowError,
      );
      // the penguins param as it is: refused for its name
      await expect(
        client.logBatch({
          runId: run.info.run_id,
          params: [{ key: 'validate.columns.Body Mass (g).max', value: '7000' }],
        }),
      ).rejects.toMatchObject({
        errorCode: 'INVALID_PARAMETER_VALUE',
        mlflowMessage: expect.stringMatching(/Invalid parameter name/),
      });
      await client.ensureRegisteredModel({ name: unique });
      await client.ensureRegisteredModel({ name: unique });
      expect(await client.getRegisteredModel(`${unique}-nope`)).toBeNull();
      expect(await client.getVersionByAlias(unique, 'nope')).toBeNull();
    },
    TEST_TIMEOUT,
  );

  it(
    'mirrors a recorded run with awkward names, its version with its files, and its alias exactly once',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'myelin-mlflow-real-'));
      const meta = await openEmbeddedMetadataStore({ dir });
      try {
        const artifacts = new MemoryArtifacts();
        const spec = JSON.stringify({
          ...(JSON.parse(specText(10)) as object),
          validate: { columns: { 'Body Mass (g)': { max: 7000 } } },
        });
        const pipeline = `${unique}-pipeline`;
        const model = `${unique}-model`;
        const r = await recordFinishedRun(meta, artifacts, { pipeline, model, salt: unique, spec });
        const mirror = createMlflowMirror({
          uri: uri!,
          client,
          meta,
          store: artifacts,
          backgroundFlush: false,
        });
        await mirror.onVersionRegistered(model, r.version);
        await mirror.onRunFinished(r.runId);
        expect(await mirror.flush()).toEqual({ delivered: 3, pending: 0, failed: 0, refused: 0, skipped: 0 });
        expect(await mirror.flush({ force: true })).toMatchObject({ delivered: 0, pending: 0, failed: 0 });
        const exp = (await client.getExperimentByName(pipeline))!.experiment_id;
        const run = await client.findRunByTag(exp, 'myelin.run_id', r.runId);
        expect(run?.info.status).toBe('FINISHED');
        const full = await client.getRun(run!.info.run_id);
        const param = full?.data?.params?.find((p) => p.key === 'validate.columns.Body Mass _g_.max');
        expect(param?.value).toBe('7000');
        expect(readKeyMap(full?.data?.tags).get('validate.columns.Body Mass _g_.max')).toBe(
          'validate.columns.Body Mass (g).max',
        );
        const mv = await client.findModelVersionByTag(model, 'myelin.manifest', r.manifestKey);
        expect(tagValue(mv?.tags, 'myelin.run_id')).toBe(r.runId);
        expect(mv?.source).toBe(`${run!.info.artifact_uri}/model`);
        const files = (await client.listArtifacts(run!.info.run_id, 'model')).map((f) => f.path).sort();
        expect(files).toEqual(
          expect.arrayContaining([
            'model/manifest.json',
            'model/model.json',
            'model/model.onnx',
            'model/weights.bin',
          ]),
        );
        expect((await client.getVersionByAlias(model, 'candidate'))?.version).toBe(mv?.version);
        await mirror.close();
      } finally {
        await meta.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    TEST_TIMEOUT,
  );
});
