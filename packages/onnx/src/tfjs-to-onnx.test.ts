import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from './onnx-graph.js';
import type { TfjsModelFiles } from './tfjs-layers-model.js';
import { ONNX_INPUT_NAME, tfjsToOnnx } from './tfjs-to-onnx.js';

const TOLERANCE = 1e-5;

/** Saves a model as the served pair (model.json + weights.bin), the way the training package does. */
async function served(model: tf.LayersModel): Promise<TfjsModelFiles> {
  let files: TfjsModelFiles | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData ?? new ArrayBuffer(0)));
      const json = {
        modelTopology: a.modelTopology,
        format: 'layers-model',
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }],
      };
      files = { modelJson: new TextEncoder().encode(JSON.stringify(json)), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files!;
}

/** The served model as serving loads it: `tf.loadLayersModel` from the two files. */
async function loadServed(files: TfjsModelFiles): Promise<tf.LayersModel> {
  const json = JSON.parse(new TextDecoder().decode(files.modelJson)) as tf.io.ModelJSON;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: Uint8Array.prototype.slice.call(files.weights).buffer,
    }),
  );
}

/** Deterministic pseudo-random floats in [-scale, scale). */
function values(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = ((s / 2 ** 32) * 2 - 1) * scale;
  }
  return out;
}

/** Gives every weight non-trivial values (batch-norm variances positive), seeded. */
function randomiseWeights(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, li) => {
    const ws = layer.getWeights();
    if (!ws.length) return;
    layer.setWeights(
      ws.map((w, wi) => {
        const v = values(w.size, seed * 1000 + li * 10 + wi, 0.8);
        const positive = layer.getClassName() === 'BatchNormalization' && wi === ws.length - 1;
        return tf.tensor(positive ? v.map((x) => Math.abs(x) + 0.2) : v, w.shape);
      }),
    );
  });
}

/** Builds, randomises and serves a model; runs tfjs and ONNX Runtime on the same rows; returns the largest difference. */
async function maxDiff(
  build: () => tf.Sequential,
  seed: number,
  rows = 7,
): Promise<{ diff: number; outputs: number }> {
  const model = build();
  randomiseWeights(model, seed);
  const files = await served(model);
  const servedModel = await loadServed(files);
  const features = servedModel.inputs[0]!.shape[1]!;
  const x = values(rows * features, seed + 99, 2);
  const expected = (servedModel.predict(tf.tensor2d(x, [rows, features])) as tf.Tensor).dataSync();

  const exported = tfjsToOnnx(files, { name: 'test' });
  expect(exported.input).toEqual({ name: ONNX_INPUT_NAME, dims: [features] });
  const session = await ort.InferenceSession.create(exported.bytes);
  const result = await session.run({ [ONNX_INPUT_NAME]: new ort.Tensor('float32', x, [rows, features]) });
  const got = result[exported.output.name]!.data as Float32Array;
  expect(got.length).toBe(expected.length);
  expect(result[exported.output.name]!.dims).toEqual([rows, exported.output.dims[0]]);
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - expected[i]!));
  return { diff, outputs: got.length };
}

const ACTIVATIONS = ['relu', 'sigmoid', 'tanh', 'softmax', 'linear', 'elu', 'selu', 'gelu', 'swish'] as const;

function dense(
  units: number,
  activation: (typeof ACTIVATIONS)[number],
  inputShape?: number[],
): tf.layers.Layer {
  return tf.layers.dense({ units, activation, ...(inputShape ? { inputShape } : {}) });
}

describe('tfjsToOnnx: ONNX Runtime gives the served tfjs model’s outputs (max abs diff ≤ 1e-5)', () => {
  it.each(ACTIVATIONS)('dense with %s', async (activation) => {
    const { diff } = await maxDiff(() => {
      const m = tf.sequential();
      m.add(tf.layers.inputLayer({ inputShape: [6] }));
      m.add(dense(5, activation));
      m.add(dense(3, activation));
      return m;
    }, 11);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('dense without bias, dropout (identity at inference) and batch normalization (inference form)', async () => {
    const { diff } = await maxDiff(() => {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 8, activation: 'relu', useBias: false, inputShape: [5] }));
      m.add(tf.layers.dropout({ rate: 0.5 }));
      m.add(tf.layers.batchNormalization({ epsilon: 0.01 }));
      m.add(tf.layers.batchNormalization({ center: false, scale: false }));
      m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
      return m;
    }, 12);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    ['valid', 1, 3],
    ['same', 1, 3],
    ['same', 2, 3],
    ['valid', 2, 2],
    ['same', 2, 4],
  ] as const)(
    'conv2d (padding %s, stride %i, kernel %i) from the flat row, NHWC → NCHW',
    async (padding, strides, kernelSize) => {
      const { diff } = await maxDiff(() => {
        const m = tf.sequential();
        m.add(tf.layers.reshape({ targetShape: [7, 6, 2], inputShape: [84] }));
        m.add(tf.layers.conv2d({ filters: 3, kernelSize, strides, padding, activation: 'relu' }));
        m.add(tf.layers.flatten());
        m.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
        return m;
      }, 13);
      expect(diff).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  it.each(ACTIVATIONS)('conv2d with %s (softmax over the channels)', async (activation) => {
    const { diff } = await maxDiff(() => {
      const m = tf.sequential();
      m.add(tf.layers.reshape({ targetShape: [5, 5, 2], inputShape: [50] }));
      m.add(tf.layers.conv2d({ filters: 3, kernelSize: [3, 2], padding: 'same', activation }));
      m.add(tf.layers.flatten());
      return m;
    }, 14);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('max pooling (valid and same, with strides), batch normalization on channels, flatten in NHWC order', async () => {
    const { diff } = await maxDiff(() => {
      const m = tf.sequential();
      m.add(tf.layers.reshape({ targetShape: [9, 8, 3], inputShape: [216] }));
      m.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'elu' }));
      m.add(tf.layers.batchNormalization());
      m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
      m.add(tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }));
      m.add(tf.layers.maxPooling2d({ poolSize: [2, 3], strides: [1, 2] }));
      m.add(tf.layers.flatten());
      m.add(tf.layers.dropout({ rate: 0.2 }));
      m.add(tf.layers.dense({ units: 5, activation: 'gelu' }));
      m.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
      return m;
    }, 15);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('the shapes example: conv2d → max pooling → flatten → dense → softmax output', async () => {
    const { diff, outputs } = await maxDiff(
      () => {
        const m = tf.sequential();
        m.add(tf.layers.reshape({ targetShape: [8, 8, 1], inputShape: [64] }));
        m.add(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }));
        m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
        m.add(tf.layers.flatten());
        m.add(tf.layers.dense({ units: 32, activation: 'relu' }));
        m.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
        return m;
      },
      16,
      20,
    );
    expect(outputs).toBe(80);
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('writes opset 13, a batch dimension, and the input and output names', () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 3, inputShape: [4], activation: 'softmax' }));
    return served(m).then((files) => {
      const exported = tfjsToOnnx(files, { name: 'penguins', docString: 'penguins@1' });
      const proto = readOnnxModel(exported.bytes);
      expect(proto.opsetImport.map((o) => Number(o.version))).toEqual([13]);
      expect(proto.graph?.name).toBe('penguins');
      expect(proto.docString).toBe('penguins@1');
      const graph = proto.graph!;
      const input = graph.input![0]!;
      expect(input.name).toBe('input');
      expect(input.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual([
        'batch',
        4,
      ]);
      expect(graph.output![0]!.name).toBe('output');
      expect(exported.output).toEqual({ name: 'output', dims: [3] });
    });
  });

  it('names the layer or activation it cannot export', async () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 3, inputShape: [4], activation: 'softplus' }));
    const files = await served(m);
    expect(() => tfjsToOnnx(files)).toThrow(/layer "dense_Dense\d+" \(Dense\).*activation "softplus"/);
    const other = tf.sequential();
    other.add(tf.layers.layerNormalization({ inputShape: [4] }));
    await expect(served(other).then((f) => tfjsToOnnx(f))).rejects.toMatchObject({
      code: 'MYELIN_ERR_ONNX_EXPORT',
      message: expect.stringMatching(/\(LayerNormalization\).*no ONNX export/),
    });
    const image = tf.sequential();
    image.add(tf.layers.reshape({ targetShape: [2, 2], inputShape: [4] }));
    await expect(served(image).then((f) => tfjsToOnnx(f))).rejects.toThrow(
      /only \[features\] or \[height, width, channels\]/,
    );
    expect(() =>
      tfjsToOnnx({ modelJson: new TextEncoder().encode('nope'), weights: new Uint8Array() }),
    ).toThrow(/model\.json is not JSON/);
    expect(() => tfjsToOnnx({ ...files, weights: files.weights.slice(4) })).toThrow(/weights\.bin holds/);
  });
});
