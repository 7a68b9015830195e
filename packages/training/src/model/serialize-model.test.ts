import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildModel,
  getWeightsSnapshot,
  loadModelFromBytes,
  serializeModel,
  setWeightsSnapshot,
} from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function predict(model: tf.LayersModel, x: number[][]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor2d(x)) as tf.Tensor).dataSync() as Float32Array).slice();
}

describe('serializeModel / loadModelFromBytes', () => {
  it('round-trips to identical predictions, with a manifest pointing at weights.bin', async () => {
    const model = buildModel({
      layers: [
        { dense: { units: 6, activation: 'tanh' } },
        { batchNormalization: {} },
        { dropout: { rate: 0.5 } },
      ],
      task: 'multiclass',
      numClasses: 3,
      inputShape: [4],
      seed: 11,
    });
    const bytes = await serializeModel(model);
    const json = JSON.parse(new TextDecoder().decode(bytes.modelJson));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const floats = getWeightsSnapshot(model).reduce((s, w) => s + w.length, 0);
    expect(bytes.weights.byteLength).toBe(floats * 4);

    const loaded = await loadModelFromBytes(bytes);
    const x = [
      [0.1, -0.2, 0.3, 0.4],
      [1, 2, -3, 0.5],
    ];
    expect(predict(loaded, x)).toEqual(predict(model, x));
    expect(loaded.loss).toBe('categoricalCrossentropy');
    model.dispose();
    loaded.dispose();
  });

  it('reads weights from a Uint8Array view into a larger buffer', async () => {
    const model = buildModel({
      layers: [{ dense: { units: 3 } }],
      task: 'regression',
      inputShape: [2],
      seed: 2,
    });
    const bytes = await serializeModel(model);
    const big = new Uint8Array(bytes.weights.byteLength + 8);
    big.set(bytes.weights, 8);
    const loaded = await loadModelFromBytes({ modelJson: bytes.modelJson, weights: big.subarray(8) });
    expect(getWeightsSnapshot(loaded)).toEqual(getWeightsSnapshot(model));
    model.dispose();
    loaded.dispose();
  });

  it('reads weights from a Node Buffer that sits inside a larger pool (its own slice is a view)', async () => {
    const model = buildModel({
      layers: [{ dense: { units: 3 } }],
      task: 'regression',
      inputShape: [2],
      seed: 4,
    });
    const bytes = await serializeModel(model);
    const pool = Buffer.alloc(bytes.weights.byteLength + 24, 0x7f);
    pool.set(bytes.weights, 16);
    const pooled = pool.subarray(16, 16 + bytes.weights.byteLength);
    expect(pooled.byteOffset).toBe(16);
    const loaded = await loadModelFromBytes({ modelJson: bytes.modelJson, weights: pooled });
    expect(getWeightsSnapshot(loaded)).toEqual(getWeightsSnapshot(model));
    model.dispose();
    loaded.dispose();
  });

  it('refuses malformed bytes with MYELIN_ERR_ARTIFACT_INTEGRITY', async () => {
    const model = buildModel({ layers: [], task: 'binary', inputShape: [2], seed: 2 });
    const bytes = await serializeModel(model);
    await expect(
      loadModelFromBytes({ modelJson: new TextEncoder().encode('{nope'), weights: bytes.weights }),
    ).rejects.toMatchObject({
      code: 'MYELIN_ERR_ARTIFACT_INTEGRITY',
    });
    await expect(
      loadModelFromBytes({ modelJson: bytes.modelJson, weights: bytes.weights.subarray(4) }),
    ).rejects.toThrow(/weights.bin holds/);
    model.dispose();
  });
});

describe('weights snapshots', () => {
  it('copies weights out and back in', () => {
    const model = buildModel({ layers: [{ dense: { units: 3 } }], task: 'binary', inputShape: [2], seed: 5 });
    const snap = getWeightsSnapshot(model);
    const zeros = snap.map((w) => new Float32Array(w.length));
    setWeightsSnapshot(model, zeros);
    expect(getWeightsSnapshot(model)).toEqual(zeros);
    zeros[0]?.fill(9); // the model does not share the caller's arrays
    expect(getWeightsSnapshot(model)[0]?.[0]).toBe(0);
    setWeightsSnapshot(model, snap);
    expect(getWeightsSnapshot(model)).toEqual(snap);
    expect(() => setWeightsSnapshot(model, snap.slice(1))).toThrow(/snapshot holds/);
    model.dispose();
  });
});
