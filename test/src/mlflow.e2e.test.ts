import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKeyMap, tagValue } from '@myelin/registry';
import { FakeMlflowServer } from '@myelin/registry/testing';
import { myelinAsync, repoRoot, scratch } from './myelin-cli.js';

// An in-memory MLflow (the registry package's loopback fake that answers in MLflow 2.10.2's
// recorded shapes and refuses what MLflow refuses, with the rules of mlflow/utils/validation.py)
// stands in for a tracking server; the run, the mirror and its outbox are real.
const mlflow = new FakeMlflowServer();
const dirs: string[] = [];
beforeAll(() => mlflow.start());
afterAll(async () => {
  await mlflow.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The README's penguins example (validate.columns names "Body Mass (g)"), fewer epochs, a gate it passes. */
function penguinsExample(dir: string): string {
  const text = readFileSync(join(repoRoot, 'examples/penguins/pipeline.yaml'), 'utf8')
    .replace(/epochs: \d+/, 'epochs: 6')
    .replace(/accuracy: \{ min: [\d.]+ \}/, 'accuracy: { min: 0.3 }')
    .replace(/\n {2}compareTo: production\n {2}tolerance: [\d.]+/, '');
  expect(text).toMatch(/Body Mass \(g\): \{ type: number, min: 2000, max: 7000/);
  const file = join(dir, 'penguins.yaml');
  writeFileSync(file, text);
  return file;
}

interface Status {
  uri: string;
  pending: number;
  failed: number;
  refused: number;
  delivered: number;
  notYetQueued: number;
  servers: { target: string; delivered: number; pending: number; failed: number }[];
}

describe('MLflow mirror, end to end', () => {
  const home = scratch('mlflow-home');
  const dir = scratch('mlflow-p');
  dirs.push(home, dir);
  const env: Record<string, string> = {};
  beforeAll(() => {
    env.MYELIN_MLFLOW_URI = mlflow.uri; // known once the server listens
  });

  it('the penguins example mirrors fully into the rule-enforcing MLflow: mapped params, per-epoch metrics, a version whose source holds its files', async () => {
    const r = await myelinAsync(['run', penguinsExample(dir), '--json'], home, env);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { runId: string };

    expect(mlflow.invalid).toEqual([]); // MLflow refused nothing
    const runs = [...mlflow.runs.values()];
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.info.status).toBe('FINISHED');
    expect(tagValue(run.tags, 'myelin.run_id')).toBe(summary.runId);
    const params = new Map(run.params.map((p) => [p.key, p.value]));
    expect(params.get('train.epochs')).toBe('6');
    expect(params.get('validate.columns.Body Mass _g_.max')).toBe('7000');
    expect(params.get('validate.columns.Body Mass _g_.min')).toBe('2000');
    expect(readKeyMap(run.tags).get('validate.columns.Body Mass _g_.max')).toBe(
      'validate.columns.Body Mass (g).max',
    );
    const losses = run.metrics.filter((m) => m.key === 'loss').map((m) => m.step);
    expect(losses).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run.metrics.some((m) => m.key === 'test_accuracy')).toBe(true);

    const model = mlflow.models.get('penguins');
    expect(model?.aliases.get('staging')).toBe('1');
    const versions = mlflow.versions.filter((v) => v.name === 'penguins');
    expect(versions).toHaveLength(1);
    expect(versions[0]!.source).toBe(`${run.info.artifact_uri}/model`);
    // the source folder holds the manifest and every file it lists, byte for byte
    const root = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
    const manifestBytes = mlflow.artifacts.get(`${root}/model/manifest.json`);
    expect(manifestBytes).toBeDefined();
    const manifest = JSON.parse(manifestBytes!.toString('utf8')) as {
      files: { name: string; sha256: string }[];
    };
    expect(manifest.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['model.json', 'weights.bin', 'model.onnx']),
    );
    for (const f of manifest.files) {
      const bytes = mlflow.artifacts.get(`${root}/model/${f.name}`);
      expect(bytes, f.name).toBeDefined();
      expect(createHash('sha256').update(bytes!).digest('hex')).toBe(f.sha256);
    }

    // moving an alias in Myelin moves it in MLflow; a sync afterwards delivers nothing twice
    expect((await myelinAsync(['alias', 'set', 'penguins', 'production', '1'], home, env)).code).toBe(0);
    expect(model?.aliases.get('production')).toBe('1');
    const sync = await myelinAsync(['mlflow', 'sync', '--json'], home, env);
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ pending: 0, failed: 0, refused: 0, skipped: 0 });
    expect(mlflow.runs.size).toBe(1);
    expect(mlflow.versions.filter((v) => v.name === 'penguins')).toHaveLength(1);
    const status = JSON.parse(
      (await myelinAsync(['mlflow', 'status', '--json'], home, env)).stdout,
    ) as Status;
    expect(status).toMatchObject({ uri: mlflow.uri, pending: 0, failed: 0, delivered: 4 });
  });

  it('status only reports, even when MLflow hangs; sync gives up after its timeout; a new server gets everything again', async () => {
    const hung = new FakeMlflowServer();
    const fresh = new FakeMlflowServer();
    await hung.start();
    await fresh.start();
    try {
      hung.hang();
      const status = await myelinAsync(['mlflow', 'status', '--json'], home, { MYELIN_MLFLOW_URI: hung.uri });
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        uri: hung.uri,
        pending: 0,
        delivered: 0,
        notYetQueued: 4,
      });
      expect(hung.requests).toEqual([]); // it never asked MLflow

      const sync = await myelinAsync(['mlflow', 'sync', '--timeout-ms', '300', '--json'], home, {
        MYELIN_MLFLOW_URI: hung.uri,
      });
      expect(sync.code).toBe(1);
      expect(JSON.parse(sync.stdout)).toMatchObject({ delivered: 0, pending: 4 });
      expect(hung.requests.length).toBeLessThanOrEqual(4); // one request per row in flight, then it stopped

      const moved = await myelinAsync(['mlflow', 'sync', '--json'], home, { MYELIN_MLFLOW_URI: fresh.uri });
      expect(moved.code, moved.stderr + moved.stdout).toBe(0);
      expect(JSON.parse(moved.stdout)).toMatchObject({ pending: 0, failed: 0 });
      expect(fresh.runs.size).toBe(1);
      expect(fresh.versions).toHaveLength(1);
      expect(fresh.models.get('penguins')?.aliases.get('production')).toBe('1');
      expect(fresh.invalid).toEqual([]);
      const s = JSON.parse(
        (await myelinAsync(['mlflow', 'status', '--json'], home, { MYELIN_MLFLOW_URI: fresh.uri })).stdout,
      ) as Status;
      expect(s.servers.map((t) => t.target).sort()).toEqual([mlflow.uri, hung.uri, fresh.uri].sort());
      expect(s.servers.find((t) => t.target === hung.uri)).toMatchObject({ delivered: 0, pending: 4 });
    } finally {
      await hung.stop();
      await fresh.stop();
    }
  });
});
