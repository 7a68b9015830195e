import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './available-backends.js';
import type { BackendPreference } from './backend-info.js';
import { maxAbsDiff, maxScaledDiff, rand, valuesOn } from './test-helpers.js';

/**
 * Backend conformance: every kernel the supported layers use, forward and gradient, runs on
 * each available backend (with Myelin's kernels and workarounds applied, as selectBackend does)
 * and is compared with the pure-JS cpu backend within 1e-4 (absolute up to magnitude 1, relative
 * above). The largest differences per kernel are printed at the end.
 */

const TOL = 1e-4;
const found: Array<{ backend: string; kernel: string; abs: number; scaled: number }> = [];
let backends: BackendPreference[] = [];

beforeAll(async () => {
  backends = (await availableBackends()).filter((b) => b !== 'cpu');
});

afterAll(() => {
  const worst = new Map<string, { abs: number; scaled: number }>();
  for (const f of found) {
    const key = `${f.backend}  ${f.kernel}`;
    const w = worst.get(key) ?? { abs: 0, scaled: 0 };
    worst.set(key, { abs: Math.max(w.abs, f.abs), scaled: Math.max(w.scaled, f.scaled) });
  }
  const lines = [...worst].map(
    ([k, d]) => `  ${k}: abs ${d.abs.toExponential(2)}, scaled ${d.scaled.toExponential(2)}`,
  );
  console.log(['conformance vs cpu (max differences):', ...lines].join('\n'));
});

async function check(kernel: string, f: () => tf.Tensor | tf.Tensor[], tol = TOL): Promise<void> {
  const reference = await valuesOn('cpu', f);
  for (const backend of backends) {
    const got = await valuesOn(backend, f);
    const scaled = maxScaledDiff(got, reference);
    found.push({ backend, kernel, abs: maxAbsDiff(got, reference), scaled });
    expect(scaled, `${kernel} on ${backend}`).toBeLessThan(tol);
  }
}

/** f's value and its gradients with respect to every input (through sum of squares). */
function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, ...inputs: tf.Tensor[]): tf.Tensor[] {
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
    f(...xs)
      .square()
      .sum(),
  )(inputs);
  return [f(...inputs), value, ...grads];
}

const TRANSPOSES = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

describe('backend conformance (vs cpu)', () => {
  it('finds wasm here', () => {
    expect(backends).toContain('wasm');
  });

  it.each(TRANSPOSES)(
    'matMul transposeA=%s transposeB=%s (2-D and batched, with gradients)',
    async (ta, tb) => {
      await check('matMul', () =>
        withGrads(
          (a, b) => tf.matMul(a!, b!, ta, tb),
          rand(ta ? [33, 9] : [9, 33], 1),
          rand(tb ? [11, 33] : [33, 11], 2),
        ),
      );
      await check('matMul batched', () =>
        withGrads(
          (a, b) => tf.matMul(a!, b!, ta, tb),
          rand(ta ? [3, 20, 4] : [3, 4, 20], 1),
          rand(tb ? [3, 6, 20] : [3, 20, 6], 2),
        ),
      );
    },
  );

  const activations = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;
  for (const k of [16, 49, 100]) {
    it.each(activations)(
      `fused matMul + bias, k = ${k}, activation %s, all transposes`,
      async (activation) => {
        for (const [ta, tb] of TRANSPOSES) {
          await check(`fused matMul+bias ${activation} k=${k}`, () =>
            tf.fused.matMul({
              a: rand(ta ? [k, 5] : [5, k], 1) as tf.Tensor2D,
              b: rand(tb ? [7, k] : [k, 7], 2) as tf.Tensor2D,
              bias: rand([7], 3),
              transposeA: ta,
              transposeB: tb,
              activation,
              preluActivationWeights: activation === 'prelu' ? rand([7], 4) : undefined,
              leakyreluAlpha: 0.1,
            }),
          );
        }
      },
    );
  }

  it('fused matMul + bias gradients (dense layer path)', async () => {
    await check('fused matMul+bias grad', () =>
      withGrads(
        (a, b, c) =>
          tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: 'relu' }),
        rand([8, 100], 1),
        rand([100, 12], 2),
        rand([12], 3),
      ),
    );
  });

  it.each([
    { x: [2, 9, 9, 3], f: [3, 3, 3, 8], s: 1, pad: 'same' as const },
    { x: [3, 10, 7, 4], f: [3, 2, 4, 5], s: 2, pad: 'valid' as const },
    { x: [1, 12, 12, 1], f: [5, 5, 1, 16], s: 1, pad: 'valid' as const },
  ])('conv2d and both gradients x=$x f=$f s=$s $pad', async ({ x, f, s, pad }) => {
    await check('conv2d (+ input and filter gradients)', () =>
      withGrads((a, w) => tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, s, pad), rand(x, 1), rand(f, 2)),
    );
  });

  it('depthwise conv2d and both gradients', async () => {
    await check('depthwiseConv2d (+ gradients)', () =>
      withGrads(
        (a, w) => tf.depthwiseConv2d(a as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
        rand([2, 8, 8, 3], 1),
        rand([3, 3, 3, 2], 2),
      ),
    );
  });

  it('maxPool, avgPool and their gradients', async () => {
    await check('maxPool (+ gradient)', () =>
      withGrads((a) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), rand([2, 8, 8, 3], 1)),
    );
    await check('maxPool same (+ gradient)', () =>
      withGrads((a) => tf.maxPool(a as tf.Tensor4D, 3, 2, 'same'), rand([2, 7, 7, 2], 2)),
    );
    await check('avgPool (+ gradient)', () =>
      withGrads((a) => tf.avgPool(a as tf.Tensor4D, 2, 2, 'valid'), rand([2, 8, 8, 3], 3)),
    );
  });

  it('batch norm with moments, and its gradients', async () => {
    await check('batchNorm + moments (+ gradients)', () =>
      withGrads(
        (x, offset, scale) => {
          const { mean, variance } = tf.moments(x!, [0, 1, 2]);
          return tf.batchNorm(x!, mean, variance, offset, scale, 1e-3);
        },
        rand([4, 5, 5, 6], 1),
        rand([6], 2),
        rand([6], 3).add(2),
      ),
    );
  });

  it('softmax and logSoftmax with gradients', async () => {
    await check('softmax (+ gradient)', () => withGrads((x) => tf.softmax(x!.mul(3)), rand([6, 10], 1)));
    await check('logSoftmax (+ gradient)', () =>
      withGrads((x) => tf.logSoftmax(x!.mul(3)), rand([6, 10], 2)),
    );
  });

  const unary: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
    ['relu', (x) => tf.relu(x)],
    ['relu6', (x) => tf.relu6(x.mul(8))],
    ['elu', (x) => tf.elu(x.mul(2))],
    ['selu', (x) => tf.selu(x.mul(2))],
    ['leakyRelu', (x) => tf.leakyRelu(x, 0.1)],
    ['prelu', (x) => tf.prelu(x, tf.fill([x.shape[1] as number], 0.25))],
    ['sigmoid', (x) => tf.sigmoid(x.mul(4))],
    ['tanh', (x) => tf.tanh(x.mul(2))],
    ['softplus', (x) => tf.softplus(x.mul(3))],
    ['exp', (x) => tf.exp(x)],
    ['log', (x) => tf.log(x.abs().add(0.1))],
    ['sqrt', (x) => tf.sqrt(x.abs().add(0.1))],
    ['square', (x) => tf.square(x)],
    ['abs', (x) => tf.abs(x)],
    ['neg/sub/mul/div', (x) => tf.div(tf.sub(x.neg(), 1), x.abs().add(1)).mul(x)],
    ['clipByValue', (x) => tf.clipByValue(x, -0.5, 0.5)],
  ];
  it.each(unary)('%s and its gradient', async (name, f) => {
    await check(`${name} (+ gradient)`, () => withGrads((x) => f(x!), rand([7, 13], 5)));
  });

  it('reductions, gather and its gradient (embeddings), dropout-free losses', async () => {
    await check('sum/mean/max/argMax', () => {
      const x = rand([6, 9], 1);
      return [x.sum(1), x.mean(0), x.max(1), x.argMax(1).toFloat()];
    });
    await check('gather (+ gradient: UnsortedSegmentSum)', () =>
      withGrads((t) => tf.gather(t!, tf.tensor1d([0, 3, 3, 11, 5, 0], 'int32')), rand([12, 5], 2)),
    );
    await check('softmaxCrossEntropy (+ gradient)', () =>
      withGrads(
        (logits) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([1, 0, 3, 2], 'int32'), 4), logits!),
        rand([4, 4], 3),
      ),
    );
  });
});
