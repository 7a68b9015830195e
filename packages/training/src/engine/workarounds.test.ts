import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, rand, valuesOn } from './test-helpers.js';
import { initWasmBackend } from './wasm-backend.js';
import { applyWorkarounds, WORKAROUNDS, workaround } from './workarounds.js';

beforeAll(async () => {
  await initWasmBackend();
});

/** tf.fused.matMul with bias (and an activation) on 2-D operands, M=5, N=7, shared dimension k. */
function fusedCase(
  k: number,
  transposeA: boolean,
  transposeB: boolean,
  activation: tf.fused.Activation = 'linear',
) {
  return (): tf.Tensor => {
    const a = rand(transposeA ? [k, 5] : [5, k], 1) as tf.Tensor2D;
    const b = rand(transposeB ? [7, k] : [k, 7], 2) as tf.Tensor2D;
    return tf.fused.matMul({
      a,
      b,
      bias: rand([7], 3),
      transposeA,
      transposeB,
      activation,
      leakyreluAlpha: 0.1,
    });
  };
}

async function wasmVsCpu(f: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  return maxAbsDiff(await valuesOn('wasm', f), await valuesOn('cpu', f));
}

describe('WORKAROUNDS', () => {
  it('each entry names its backend, kernel and the test that shows it', () => {
    const ids = WORKAROUNDS.map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const w of WORKAROUNDS) {
      expect(w.description.length).toBeGreaterThan(40);
      expect(w.test).toMatch(/workarounds\.test\.ts > /);
      expect(ids).toContain(w.id);
    }
  });

  it('applyWorkarounds is idempotent', () => {
    const first = applyWorkarounds('wasm');
    expect(applyWorkarounds('wasm')).toEqual(first);
    expect(first).toContain('wasm-fused-matmul-slow-path');
  });
});

describe('wasm-fused-matmul-slow-path', () => {
  const w = workaround('wasm-fused-matmul-slow-path');

  it('documents upstream behaviour: the stock wasm _FusedMatMul with bias is wrong when transposed (k = 49, 100)', async () => {
    w.revert();
    try {
      expect(await wasmVsCpu(fusedCase(49, false, true))).toBeGreaterThan(0.5);
      expect(await wasmVsCpu(fusedCase(100, true, false, 'relu'))).toBeGreaterThan(0.5);
      // and on a batch of matrices without transposes
      const batched = (): tf.Tensor =>
        tf.fused.matMul({
          a: rand([2, 5, 100], 1) as tf.Tensor3D,
          b: rand([2, 100, 7], 2) as tf.Tensor3D,
          bias: rand([7], 3),
        });
      expect(await wasmVsCpu(batched)).toBeGreaterThan(0.5);
    } finally {
      w.apply();
    }
  });

  it.each([16, 49, 100])(
    'with the workaround, fused matMul + bias matches cpu within 1e-4 at k = %i for every transpose and activation',
    async (k) => {
      w.apply();
      for (const [ta, tb] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ] as const) {
        for (const act of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
          expect(
            await wasmVsCpu(fusedCase(k, ta, tb, act)),
            `transposeA=${ta} transposeB=${tb} ${act}`,
          ).toBeLessThan(1e-4);
        }
      }
    },
  );

  it('leaves no intermediate tensors behind on the backend', async () => {
    w.apply();
    await tf.setBackend('wasm');
    const before = tf.backend().numDataIds();
    const a = rand([100, 5], 1) as tf.Tensor2D;
    const b = rand([100, 7], 2) as tf.Tensor2D;
    const bias = rand([7], 3);
    tf.fused.matMul({ a, b, bias, transposeA: true, activation: 'relu' }).dispose();
    tf.dispose([a, b, bias]);
    expect(tf.backend().numDataIds()).toBe(before);
  });
});

describe('wasm-transposed-matmul-fast-path', () => {
  it('gives the cpu result within 1e-5 in all four transpose combinations, 2-D and batch-1 3-D', async () => {
    workaround('wasm-transposed-matmul-fast-path').apply();
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const f2 = (): tf.Tensor =>
        tf.matMul(rand(ta ? [64, 9] : [9, 64], 1), rand(tb ? [11, 64] : [64, 11], 2), ta, tb);
      const f3 = (): tf.Tensor =>
        tf.matMul(rand(ta ? [1, 30, 4] : [1, 4, 30], 1), rand(tb ? [1, 6, 30] : [1, 30, 6], 2), ta, tb);
      expect(await wasmVsCpu(f2)).toBeLessThan(1e-5);
      expect(await wasmVsCpu(f3)).toBeLessThan(1e-5);
    }
  });

  it('leaves no transposed copies behind on the backend', async () => {
    await tf.setBackend('wasm');
    const before = tf.backend().numDataIds();
    const a = rand([64, 9], 1);
    const b = rand([11, 64], 2);
    tf.matMul(a, b, true, true).dispose();
    tf.dispose([a, b]);
    expect(tf.backend().numDataIds()).toBe(before);
  });
});

describe('wasm-max-pool-grad-negative-window', () => {
  const w = workaround('wasm-max-pool-grad-negative-window');
  const allNegative = (): tf.Tensor =>
    tf.grad((x: tf.Tensor) =>
      tf
        .maxPool(x as tf.Tensor4D, 2, 2, 'valid')
        .mul(3)
        .sum(),
    )(tf.tensor4d([-0.5, -0.2, -0.7, -0.9], [1, 2, 2, 1]));

  it("documents upstream behaviour: the stock wasm MaxPoolGrad sends an all-negative window's gradient to its first element", async () => {
    w.revert();
    try {
      expect(Array.from((await valuesOn('wasm', allNegative))[0] ?? [])).toEqual([3, 0, 0, 0]);
      expect(Array.from((await valuesOn('cpu', allNegative))[0] ?? [])).toEqual([0, 3, 0, 0]);
    } finally {
      w.apply();
    }
  });

  it.each([
    { x: [2, 8, 8, 3], f: 2, s: 2, pad: 'valid' as const },
    { x: [2, 7, 7, 2], f: 3, s: 2, pad: 'same' as const },
    { x: [1, 7, 7, 1], f: 2, s: 2, pad: 'same' as const },
  ])('with the workaround, maxPool gradients match cpu: x=$x f=$f s=$s $pad', async ({ x, f, s, pad }) => {
    w.apply();
    const grad = (): tf.Tensor =>
      tf.grad((a: tf.Tensor) =>
        tf
          .maxPool(a as tf.Tensor4D, f, s, pad)
          .square()
          .sum(),
      )(rand(x, 1));
    expect(Array.from((await valuesOn('wasm', allNegative))[0] ?? [])).toEqual([0, 3, 0, 0]);
    expect(await wasmVsCpu(grad)).toBeLessThan(1e-6);
  });
});

describe('cpu-flat-conv2d-backprop-filter', () => {
  it('gives the stock cpu kernel result within 1e-4', async () => {
    const w = workaround('cpu-flat-conv2d-backprop-filter');
    const grad = (): tf.Tensor =>
      tf.grad((f: tf.Tensor) =>
        tf
          .conv2d(rand([4, 9, 9, 3], 1) as tf.Tensor4D, f as tf.Tensor4D, 2, 'same')
          .square()
          .sum(),
      )(rand([3, 3, 3, 8], 2));
    w.revert();
    const stock = await valuesOn('cpu', grad);
    w.apply();
    expect(w.isApplied()).toBe(true);
    expect(maxAbsDiff(await valuesOn('cpu', grad), stock)).toBeLessThan(1e-4);
  });
});
