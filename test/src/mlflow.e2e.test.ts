import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMlflowServer } from '@myelin/registry/testing';
import { myelinAsync, penguinsPipeline, scratch } from './myelin-cli.js';

// An in-memory MLflow (the registry package's loopback fake that answers in MLflow 2.10.2's
// recorded shapes and refuses what MLflow refuses) stands in for a tracking server; the run,
// the mirror and its outbox are real.
const mlflow = new FakeMlflowServer();
const dirs: string[] = [];
beforeAll(() => mlflow.start());
afterAll(async () => {
  await mlflow.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('MLflow mirror, end to end', () => {
  it('a penguins run with MYELIN_MLFLOW_URI set appears in MLflow with params, per-epoch metrics and a staging version', async () => {
    const home = scratch('mlflow-home');
    const dir = scratch('mlflow-p');
    dirs.push(home, dir);
    const file = penguinsPipeline(dir, { name: 'penguins', epochs: 6, gate: 0.5 });
    const env = { MYELIN_MLFLOW_URI: mlflow.uri };
    const r = await myelinAsync(['run', file, '--json'], home, env);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { runId: string };

    expect([...mlflow.experiments.values()].map((e) => e.name)).toContain('penguins');
    const runs = [...mlflow.runs.values()];
    expect(runs).toHaveLength(1);
    const run = runs[0]!;
    expect(run.info.status).toBe('FINISHED');
    expect(run.tags).toEqual(expect.arrayContaining([{ key: 'myelin.run_id', value: summary.runId }]));
    expect(run.params.find((p) => p.key === 'train.epochs')?.value).toBe('6');
    const losses = run.metrics.filter((m) => m.key === 'loss').map((m) => m.step);
    expect(losses).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run.metrics.some((m) => m.key === 'test_accuracy' || m.key === 'accuracy')).toBe(true);

    const model = mlflow.models.get('penguins');
    expect(model?.aliases.get('staging')).toBe('1');
    expect(mlflow.versions.filter((v) => v.name === 'penguins')).toHaveLength(1);

    // moving an alias in Myelin moves it in MLflow; a sync afterwards delivers nothing twice
    expect((await myelinAsync(['alias', 'set', 'penguins', 'production', '1'], home, env)).code).toBe(0);
    expect(model?.aliases.get('production')).toBe('1');
    const sync = await myelinAsync(['mlflow', 'sync', '--json'], home, env);
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(mlflow.runs.size).toBe(1);
    expect(mlflow.versions.filter((v) => v.name === 'penguins')).toHaveLength(1);
  });
});
