import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff-delay.js';
import { chunk } from './chunk.js';
import { flattenParams, MLFLOW_MAX_PARAM_VALUE } from './flatten-params.js';
import { toMetricValue } from './mlflow-client.js';
import { versionSource } from './mlflow-delivery.js';
import { mlflowMirrorUri } from './mlflow-mirror-uri.js';

describe('mirror helpers', () => {
  it('flattenParams: field paths, string values, sorted', () => {
    expect(
      flattenParams({
        train: { epochs: 200, optimizer: { learningRate: 0.001 } },
        layers: [{ units: 8 }],
        tags: [],
        x: null,
        on: true,
      }),
    ).toEqual([
      { key: 'layers.0.units', value: '8' },
      { key: 'on', value: 'true' },
      { key: 'tags', value: '[]' },
      { key: 'train.epochs', value: '200' },
      { key: 'train.optimizer.learningRate', value: '0.001' },
      { key: 'x', value: 'null' },
    ]);
    expect(flattenParams({ long: 'y'.repeat(MLFLOW_MAX_PARAM_VALUE + 5) })[0]!.value).toHaveLength(
      MLFLOW_MAX_PARAM_VALUE,
    );
  });

  it('chunk splits into pieces of at most n', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 100)).toEqual([]);
  });

  it('backoffDelay doubles per try up to the cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 10].map((a) => backoffDelay(a, 1000, 5000, mid))).toEqual([1000, 2000, 4000, 5000]);
  });

  it('toMetricValue spells NaN and infinities as MLflow accepts them', () => {
    expect([NaN, Infinity, -Infinity, 0.5].map(toMetricValue)).toEqual(['NaN', 'Infinity', '-Infinity', 0.5]);
  });

  it('versionSource: the uploaded folder, else a remote URI, else the run folder, else the fallback', () => {
    const run = {
      info: {
        run_id: 'x',
        experiment_id: '1',
        status: 'FINISHED' as const,
        artifact_uri: 'mlflow-artifacts:/1/x/artifacts',
      },
    };
    expect(versionSource('s3://b/k', run, 'f', true)).toBe('mlflow-artifacts:/1/x/artifacts/model');
    expect(versionSource('s3://b/k', run, 'f')).toBe('s3://b/k');
    expect(versionSource('file:///a/k', run, 'f')).toBe('mlflow-artifacts:/1/x/artifacts/model');
    // MLflow refuses a local source outside a run's artifacts
    expect(versionSource('file:///a/k', null, 'myelin:m@1')).toBe('myelin:m@1');
    expect(versionSource(null, null, 'myelin:m@1')).toBe('myelin:m@1');
  });

  it('mlflowMirrorUri: MYELIN_MLFLOW_URI, else the stack file, else off', () => {
    expect(mlflowMirrorUri('http://file:5000', { MYELIN_MLFLOW_URI: 'http://env:5000' })).toBe(
      'http://env:5000',
    );
    expect(mlflowMirrorUri('http://file:5000', {})).toBe('http://file:5000');
    expect(mlflowMirrorUri(undefined, { MYELIN_MLFLOW_URI: ' ' })).toBeNull();
  });
});
