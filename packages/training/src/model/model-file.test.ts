import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NamedArray } from '../train/checkpoint-state.js';
import { buildTfjsModel } from './build-model.js';
import { decodeModelFile, encodeModelFile, MODEL_FILE_FORMAT } from './model-file.js';
import { planModel } from './model-plan.js';
import { fromTfjsLayout, toTfjsLayout, weightSpecs } from './model-weights.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import { definitionOf, initialModel, readLayerWeights, tfjsModelOf } from './tfjs-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A safetensors file assembled by hand from the format's description, as another tool would write it. */
function handMade(header: object, data: number[], pad = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(pad));
  const out = new Uint8Array(8 + json.length + data.length * 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  data.forEach((v, i) => view.setFloat32(8 + json.length + i * 4, v, true));
  return out;
}

describe('safetensors', () => {
  it('writes the format: u64 LE header length, JSON header padded to 8 bytes, F32 LE data in order', () => {
    const bytes = writeSafetensors(
      [
        { name: 'a', shape: [2], data: new Float32Array([1, -2]) },
        { name: 'b', shape: [1, 1], data: new Float32Array([0.5]) },
      ],
      { format: 'pt' },
    );
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [1, 1], data_offsets: [8, 12] },
    });
    expect([0, 1, 2].map((i) => view.getFloat32(8 + n + i * 4, true))).toEqual([1, -2, 0.5]);
    expect(bytes.length).toBe(8 + n + 12);
  });

  it('reads a file laid out in another order, with scalars and empty tensors', () => {
    const bytes = handMade(
      {
        z: { dtype: 'F32', shape: [], data_offsets: [8, 12] },
        empty: { dtype: 'F32', shape: [0, 3], data_offsets: [8, 8] },
        y: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        __metadata__: { note: 'x' },
      },
      [3, 4, 5],
      5,
    );
    const file = readSafetensors(bytes);
    expect(file.metadata).toEqual({ note: 'x' });
    expect(file.tensors.map((t) => [t.name, t.shape, Array.from(t.data)])).toEqual([
      ['y', [2], [3, 4]],
      ['empty', [0, 3], []],
      ['z', [], [5]],
    ]);
  });

  it.each([
    [
      'a header length past the file',
      () => {
        const b = handMade({}, []);
        new DataView(b.buffer).setBigUint64(0, 999n, true);
        return b;
      },
      /header length 999/,
    ],
    [
      'a header that is not JSON',
      () => {
        const b = handMade({ a: 1 }, []);
        b[9] = 0x7b;
        b[8] = 0x5b;
        return b;
      },
      /not UTF-8 JSON|not a JSON object/,
    ],
    [
      'another dtype',
      () => handMade({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, [1]),
      /dtype F16/,
    ],
    [
      'a range that does not match its shape',
      () => handMade({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, [1, 2]),
      /does not match its shape/,
    ],
    [
      'a gap',
      () => handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, [1, 2]),
      /gap or an overlap at byte 0/,
    ],
    [
      'an overlap',
      () =>
        handMade(
          {
            a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
            b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
          },
          [1, 2],
        ),
      /gap or an overlap/,
    ],
    [
      'bytes that belong to no tensor',
      () => handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, [1, 2]),
      /4 data bytes belong to no tensor/,
    ],
    ['non-string metadata', () => handMade({ __metadata__: { n: 1 } }, []), /__metadata__.n is not a string/],
    ['too few bytes', () => new Uint8Array(3), /shorter than the 8-byte header length/],
  ])('refuses %s', (_what, make, message) => {
    expect(() => readSafetensors(make())).toThrow(message);
    try {
      readSafetensors(make());
    } catch (e) {
      expect((e as { code?: string }).code).toBe('MYELIN_ERR_ARTIFACT_INTEGRITY');
    }
  });
});

describe('model plan', () => {
  it("resolves TensorFlow's same padding and every size", () => {
    const plan = planModel({
      layers: [
        { conv2d: { filters: 4, kernelSize: [2, 3], strides: 2, padding: 'same' } },
        { maxPooling2d: { poolSize: 2 } },
        { dense: { units: 3 } },
      ],
      task: 'regression',
      inputShape: [7, 5, 2],
    });
    // height 7, kernel 2, stride 2: out 4, padding 1 (0 top, 1 bottom); width 5, kernel 3: out 3, padding 2 (1, 1)
    expect(plan.layers[0]).toMatchObject({
      kind: 'conv2d',
      padTop: 0,
      padBottom: 1,
      padLeft: 1,
      padRight: 1,
      inChannels: 2,
    });
    // pooling 4x3 → 2x1; a flatten is inserted before the dense layer: 2·1·4 = 8 inputs
    expect(plan.layers.map((l) => l.kind)).toEqual(['conv2d', 'maxPooling2d', 'flatten', 'dense', 'dense']);
    expect(plan.layers[3]).toMatchObject({ inputs: 8, units: 3, source: 2 });
    expect(plan.layers[4]).toMatchObject({ inputs: 3, units: 1, activation: 'linear', source: 3 });
    expect(plan).toMatchObject({ outputs: 1, loss: 'meanSquaredError', task: 'regression' });
  });

  it('locates layers that do not fit the data', () => {
    expect(() =>
      planModel({
        layers: [{ dense: { units: 2 } }, { conv2d: { filters: 1, kernelSize: 2 } }],
        task: 'binary',
        inputShape: [4],
      }),
    ).toThrow(
      expect.objectContaining({ code: 'MYELIN_ERR_SPEC_INVALID', location: { path: 'model.layers[1]' } }),
    );
    expect(() =>
      planModel({
        layers: [{ conv2d: { filters: 1, kernelSize: 5 } }],
        task: 'binary',
        inputShape: [4, 4, 1],
      }),
    ).toThrow(/conv2d kernel 5x5 does not fit the 4x4 image/);
  });

  it('gives the same plan as the tfjs model it builds (shapes of every weight)', () => {
    const plan = planModel({
      layers: [
        { conv2d: { filters: 3, kernelSize: 3, padding: 'same' } },
        { batchNormalization: {} },
        { maxPooling2d: { poolSize: 2 } },
        { dense: { units: 4 } },
      ],
      task: 'multiclass',
      numClasses: 3,
      inputShape: [6, 6, 2],
    });
    const model = buildTfjsModel(plan, 1);
    try {
      expect(model.outputs[0]?.shape).toEqual([null, 3]);
      const tfjsShapes = model.layers.flatMap((l) =>
        l.weights.map((w) => w.shape.reduce((a: number, b) => a * (b ?? 1), 1)),
      );
      expect(tfjsShapes).toEqual(weightSpecs(plan).map((s) => s.shape.reduce((a, b) => a * b, 1)));
    } finally {
      model.dispose();
    }
  });
});

describe('canonical weights', () => {
  const plan = planModel({
    layers: [
      { conv2d: { filters: 3, kernelSize: [2, 1] } },
      { batchNormalization: {} },
      { dense: { units: 2 } },
    ],
    task: 'binary',
    inputShape: [3, 2, 2],
  });

  it('transposes dense kernels and turns HWIO conv kernels into OIHW', () => {
    const model = buildTfjsModel(plan, 4);
    try {
      const tfjs = readLayerWeights(model);
      const canon = fromTfjsLayout(plan, tfjs);
      expect(canon.map((w) => `${w.name} [${w.shape.join(',')}]`)).toEqual([
        '0.weight [3,2,2,1]',
        '0.bias [3]',
        '1.weight [3]',
        '1.bias [3]',
        '1.running_mean [3]',
        '1.running_var [3]',
        '3.weight [2,12]',
        '3.bias [2]',
        '4.weight [1,2]',
        '4.bias [1]',
      ]);
      // conv kernel HWIO [2,1,2,3]: element (h=1, w=0, i=1, o=2) is OIHW (o=2, i=1, h=1, w=0)
      expect(canon[0]!.data[((2 * 2 + 1) * 2 + 1) * 1 + 0]).toBe(tfjs[0]![((1 * 1 + 0) * 2 + 1) * 3 + 2]);
      // dense kernel [in 12, out 2]: element (in 5, out 1) is weight (out 1, in 5)
      expect(canon[6]!.data[1 * 12 + 5]).toBe(tfjs[6]![5 * 2 + 1]);
      expect(toTfjsLayout(plan, canon)).toEqual(tfjs);
    } finally {
      model.dispose();
    }
  });

  it('the same seed gives the same initial weights, another seed others', () => {
    const a = initialModel({ layers: [{ dense: { units: 4 } }], task: 'binary', inputShape: [3], seed: 7 });
    const b = initialModel({ layers: [{ dense: { units: 4 } }], task: 'binary', inputShape: [3], seed: 7 });
    const c = initialModel({ layers: [{ dense: { units: 4 } }], task: 'binary', inputShape: [3], seed: 8 });
    expect(b.weights).toEqual(a.weights);
    expect(c.weights[0]!.data).not.toEqual(a.weights[0]!.data);
  });
});

describe('the model file', () => {
  const plan = planModel({
    layers: [{ dense: { units: 3, activation: 'relu' } }, { batchNormalization: {} }],
    task: 'binary',
    inputShape: [2],
  });

  it('round-trips the plan and the weights, and the tfjs model made from it predicts as the original', () => {
    const original = buildTfjsModel(plan, 3);
    try {
      const def = definitionOf(plan, original);
      const back = decodeModelFile(encodeModelFile(def, { engine: 'torch' }));
      expect(back.plan).toEqual(plan);
      expect(back.weights).toEqual(def.weights);
      expect(back.metadata).toMatchObject({ engine: 'torch', format: MODEL_FILE_FORMAT });
      const served = tfjsModelOf(back);
      try {
        const x = tf.tensor2d([0.5, -1, 2, 0.25], [2, 2]);
        const want = (original.predict(x) as tf.Tensor).dataSync();
        const got = (served.predict(x) as tf.Tensor).dataSync();
        expect(Array.from(got)).toEqual(Array.from(want));
        x.dispose();
      } finally {
        served.dispose();
      }
    } finally {
      original.dispose();
    }
  });

  it('refuses a safetensors file that is not a Myelin model, or weights of another model', () => {
    expect(() => decodeModelFile(writeSafetensors([], { format: 'pt' }))).toThrow(
      /format is "pt", expected myelin\.model\.v1/,
    );
    expect(() =>
      decodeModelFile(writeSafetensors([], { format: MODEL_FILE_FORMAT, plan: '{"formatVersion":9}' })),
    ).toThrow(/not a version-1 model plan/);
    const wrong: NamedArray[] = [
      { name: '0.weight', shape: [1], dtype: 'float32', data: new Float32Array(1) },
    ];
    expect(() =>
      decodeModelFile(writeSafetensors(wrong, { format: MODEL_FILE_FORMAT, plan: JSON.stringify(plan) })),
    ).toThrow(/holds 1 weights, the model has 8/);
  });
});
