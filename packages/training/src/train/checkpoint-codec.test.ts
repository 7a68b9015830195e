import { describe, expect, it } from 'vitest';
import { deserializeCheckpoint, serializeCheckpoint, type CheckpointState } from './index.js';

const state: CheckpointState = {
  formatVersion: 2,
  engine: 'torch',
  epoch: 3,
  epochs: 10,
  seed: 7,
  learningRate: 0.001,
  weights: [
    {
      name: '0.weight',
      shape: [2, 2],
      dtype: 'float32',
      data: new Float32Array([0.1, -0.2, 3.5, 1e-8]),
    },
    { name: '0.bias', shape: [2], dtype: 'float32', data: new Float32Array([0, -0]) },
  ],
  optimizer: 'adam',
  optimizerWeights: [{ name: 'iter', shape: [], dtype: 'int32', data: new Float32Array([12]) }],
  monitor: 'val_loss',
  bestMetric: 0.25,
  bestEpoch: 2,
  wait: 1,
  bestWeights: [{ name: '0.weight', shape: [2, 2], dtype: 'float32', data: new Float32Array([1, 2, 3, 4]) }],
  history: [
    {
      epoch: 1,
      epochs: 10,
      metrics: { loss: Number.NaN, val_loss: Number.POSITIVE_INFINITY },
      durationMs: 5,
      samplesPerSec: 100,
      learningRate: 0.001,
    },
  ],
};

describe('checkpoint codec', () => {
  it('round-trips every field, arrays and non-finite numbers included', () => {
    const bytes = serializeCheckpoint(state);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x4d, 0x59, 0x43, 0x4b]);
    const back = deserializeCheckpoint(bytes);
    expect(back).toEqual(state);
    expect(back.weights[0]?.data).toBeInstanceOf(Float32Array);
    expect(back.history[0]?.metrics['loss']).toBeNaN();
  });

  it('stores arrays as raw float32 after the header (compact)', () => {
    const big: CheckpointState = {
      ...state,
      weights: [{ name: 'w', shape: [1000], dtype: 'float32', data: new Float32Array(1000).fill(0.5) }],
    };
    const bytes = serializeCheckpoint(big);
    expect(bytes.byteLength).toBeLessThan(1000 * 4 + 2000);
    expect(deserializeCheckpoint(bytes).weights[0]?.data).toEqual(new Float32Array(1000).fill(0.5));
  });

  it('decodes from a view into a larger buffer', () => {
    const bytes = serializeCheckpoint(state);
    const big = new Uint8Array(bytes.byteLength + 3);
    big.set(bytes, 3);
    expect(deserializeCheckpoint(big.subarray(3))).toEqual(state);
  });

  it('refuses bytes that are not a checkpoint or are cut short', () => {
    const bytes = serializeCheckpoint(state);
    expect(() => deserializeCheckpoint(new TextEncoder().encode('{"epoch":1}'))).toThrow(/MYCK/);
    expect(() => deserializeCheckpoint(bytes.subarray(0, bytes.byteLength - 4))).toThrow(
      /outside the payload/,
    );
    expect(() => deserializeCheckpoint(bytes.subarray(0, 20))).toThrow(/cut short/);
    const wrongVersion = bytes.slice();
    wrongVersion[4] = 9;
    expect(() => deserializeCheckpoint(wrongVersion)).toThrow(/version 9/);
    try {
      deserializeCheckpoint(bytes.subarray(0, 20));
    } catch (e) {
      expect((e as { code?: string }).code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    }
  });

  it('refuses a version-1 checkpoint (tfjs weight names) with what to do', () => {
    const v1 = serializeCheckpoint({ ...state, formatVersion: 1 } as unknown as CheckpointState);
    expect(() => deserializeCheckpoint(v1)).toThrow(/version-1 checkpoint .*start the run again/);
  });
});
