import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planModel, type ModelPlan, type PlanModelOptions } from '../model/model-plan.js';
import { weightSpecs } from '../model/model-weights.js';
import { tfjsModelOf } from '../model/tfjs-model.js';
import type { LayerSpec } from '../model/layer-spec.js';
import type { NamedArray } from '../train/checkpoint-state.js';
import type { OptimizerConfig } from '../train/train-config.js';
import { tfjsEngine } from './tfjs-engine.js';
import { loadTorchAddon, type TorchAddon } from './torch-addon.js';
import { torchEngine, torchOptimizer } from './torch-engine.js';
import type { SessionOptions, TrainingEngine } from './training-engine.js';

/**
 * Engine conformance: every layer's forward pass and gradients (input and parameters), the
 * batch-norm running statistics, every loss, every optimizer's steps, clipping, class weights
 * and penalties run on the torch engine and on the reference — the tfjs engine on its pure-JS
 * cpu backend — from the same plan and weights, and must agree within 1e-5 (scaled by the
 * magnitude above 1). The largest differences are printed at the end.
 */

const TOL = 1e-5;
const torch = loadTorchAddon();
if (!torch.ok && process.env['MYELIN_REQUIRE_TORCH'] === '1') {
  throw new Error(`MYELIN_REQUIRE_TORCH=1 but the torch engine is not usable: ${torch.why}`);
}
const found: { what: string; diff: number }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  if (found.length === 0) return;
  const lines = found.map((f) => `  ${f.what}: ${f.diff.toExponential(2)}`);
  console.log(['torch vs tfjs-cpu (max scaled differences):', ...lines].join('\n'));
});

/** max |a − b| / max(1, |b|) */
function scaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number));
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, tol = TOL): void {
  const diff = scaledDiff(got, want);
  const prev = found.find((f) => f.what === what);
  if (prev) prev.diff = Math.max(prev.diff, diff);
  else found.push({ what, diff });
  expect(diff, what).toBeLessThan(tol);
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

function randomArray(n: number, seed: number, scale = 1): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => r() * scale);
}

/** Random weights for a plan (running variances positive). */
function randomWeights(plan: ModelPlan, seed: number): NamedArray[] {
  return weightSpecs(plan).map((s, i) => {
    const size = s.shape.reduce((a, b) => a * b, 1);
    const data = randomArray(size, seed * 31 + i, 0.5);
    if (s.name.endsWith('running_var')) for (let j = 0; j < size; j++) data[j] = 0.5 + Math.abs(data[j]!);
    return { name: s.name, shape: [...s.shape], dtype: 'float32', data };
  });
}

/** The tfjs reference: outputs, and gradients of Σ out·upstream w.r.t. x and each trainable weight (canonical layout). */
function tfjsForwardBackward(
  plan: ModelPlan,
  weights: NamedArray[],
  x: Float32Array,
  n: number,
  upstream: Float32Array,
  training: boolean,
) {
  const model = tfjsModelOf({ plan, weights });
  try {
    const d = x.length / n;
    const xv = tf.variable(tf.tensor2d(x, [n, d]));
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    let output: Float32Array = new Float32Array(0);
    const { grads } = tf.variableGrads(() => {
      const out = model.apply(xv, { training }) as tf.Tensor;
      output = out.dataSync() as Float32Array;
      return tf.sum(tf.mul(out, tf.tensor(upstream, out.shape))) as tf.Scalar;
    }, [xv, ...vars]);
    const inputGrad = grads[xv.name]!.dataSync() as Float32Array;
    // trainable weights per layer: kernel + bias (dense, conv), gamma + beta (batch norm)
    const canonical: { name: string; data: Float32Array }[] = [];
    let v = 0;
    plan.layers.forEach((l, i) => {
      const next = (): Float32Array => grads[vars[v++]!.name]!.dataSync() as Float32Array;
      if (l.kind === 'dense') {
        const k = next();
        const t = new Float32Array(k.length);
        for (let a = 0; a < l.inputs; a++)
          for (let b = 0; b < l.units; b++) t[b * l.inputs + a] = k[a * l.units + b]!;
        canonical.push({ name: `${i}.weight`, data: t }, { name: `${i}.bias`, data: next() });
      } else if (l.kind === 'conv2d') {
        const k = next();
        const t = new Float32Array(k.length);
        const { kernelHeight: kh, kernelWidth: kw, inChannels: ci, filters: co } = l;
        for (let h = 0; h < kh; h++)
          for (let w = 0; w < kw; w++)
            for (let c = 0; c < ci; c++)
              for (let o = 0; o < co; o++)
                t[((o * ci + c) * kh + h) * kw + w] = k[((h * kw + w) * ci + c) * co + o]!;
        canonical.push({ name: `${i}.weight`, data: t }, { name: `${i}.bias`, data: next() });
      } else if (l.kind === 'batchNormalization') {
        canonical.push({ name: `${i}.weight`, data: next() }, { name: `${i}.bias`, data: next() });
      }
    });
    tf.dispose([xv, ...Object.values(grads)]);
    return { output, inputGrad, grads: canonical, after: tfjsWeightsAfter(model, plan) };
  } finally {
    model.dispose();
  }
}

/** The model's weights (batch-norm running statistics included) in canonical order. */
function tfjsWeightsAfter(model: tf.LayersModel, plan: ModelPlan): Float32Array[] {
  const specs = weightSpecs(plan);
  const byLayer = model.layers.flatMap((l) => l.weights.map((w) => w.read().dataSync() as Float32Array));
  // only running statistics are compared after a forward: their layout is the same on both sides
  return specs.map((s, i) => (s.name.includes('running') ? byLayer[i]! : new Float32Array(0)));
}

function torchSession(addon: TorchAddon, plan: ModelPlan, weights: NamedArray[]) {
  return new addon.Session({
    inputShape: plan.inputShape,
    layers: plan.layers,
    loss: plan.loss,
    regression: plan.task === 'regression',
    optimizer: torchOptimizer({ name: 'sgd', learningRate: 0 }),
    clipNorm: 0,
    clipValue: 0,
    device: 'cpu',
    state: weights,
  });
}

interface LayerCase {
  name: string;
  layers: LayerSpec[];
  inputShape: number[];
  task?: PlanModelOptions['task'];
}

const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'gelu', 'swish'] as const;

const LAYER_CASES: LayerCase[] = [
  ...ACTIVATIONS.map((activation) => ({
    name: `dense ${activation}`,
    layers: [{ dense: { units: 7, activation } }] as LayerSpec[],
    inputShape: [5],
  })),
  {
    name: 'dropout (rate 0) + dense',
    layers: [{ dropout: { rate: 0 } }, { dense: { units: 3 } }],
    inputShape: [4],
  },
  {
    name: 'batchNormalization (tabular)',
    layers: [{ batchNormalization: { momentum: 0.9, epsilon: 0.01 } }],
    inputShape: [6],
  },
  {
    name: 'conv2d valid, stride 1',
    layers: [{ conv2d: { filters: 3, kernelSize: 3, activation: 'relu' } }],
    inputShape: [6, 6, 2],
  },
  {
    name: 'conv2d same, stride 2, 2x3 kernel',
    layers: [{ conv2d: { filters: 4, kernelSize: [2, 3], strides: 2, padding: 'same', activation: 'tanh' } }],
    inputShape: [7, 5, 2],
  },
  {
    name: 'maxPooling2d + flatten',
    layers: [{ conv2d: { filters: 2, kernelSize: 1 } }, { maxPooling2d: { poolSize: 2 } }, { flatten: {} }],
    inputShape: [6, 6, 3],
  },
  {
    name: 'maxPooling2d 3x2, strides 1',
    layers: [{ maxPooling2d: { poolSize: [3, 2], strides: 1 } }],
    inputShape: [5, 5, 2],
  },
  {
    name: 'batchNormalization (image channels)',
    layers: [{ conv2d: { filters: 3, kernelSize: 2 } }, { batchNormalization: {} }],
    inputShape: [5, 5, 2],
  },
  {
    name: 'digits CNN',
    layers: [
      { conv2d: { filters: 4, kernelSize: 3, activation: 'relu', padding: 'same' } },
      { maxPooling2d: { poolSize: 2 } },
      { conv2d: { filters: 6, kernelSize: 3, activation: 'relu' } },
      { dense: { units: 5, activation: 'relu' } },
    ],
    inputShape: [8, 8, 1],
  },
];

describe.runIf(torch.ok)('torch engine conformance (vs tfjs cpu)', () => {
  const addon = (torch as { ok: true; addon: TorchAddon }).addon;

  describe.each(LAYER_CASES)('$name', (c) => {
    const plan = planModel({ layers: c.layers, task: c.task ?? 'regression', inputShape: c.inputShape });
    const weights = randomWeights(plan, 3);
    const n = 5;
    const d = c.inputShape.reduce((a, b) => a * b, 1);
    const x = randomArray(n * d, 11);
    const upstream = randomArray(n * plan.outputs, 13);

    it.each([false, true])('forward and gradients agree (training: %s)', (training) => {
      const want = tfjsForwardBackward(plan, weights, x, n, upstream, training);
      const s = torchSession(addon, plan, weights);
      try {
        const got = s.forwardBackward(x, n, upstream, training);
        expectClose(`${c.name} forward`, got.output, want.output);
        expectClose(`${c.name} input gradient`, got.inputGrad, want.inputGrad);
        for (const g of want.grads) {
          const mine = got.grads.find((h) => h.name === g.name);
          expect(mine, g.name).toBeDefined();
          expectClose(`${c.name} ${g.name.replace(/^\d+\./, '')} gradient`, mine!.data, g.data);
        }
        if (training) {
          const after = s.getState();
          weightSpecs(plan).forEach((spec, i) => {
            if (spec.name.includes('running'))
              expectClose(`${c.name} ${spec.name} after a step`, after[i]!.data, want.after[i]!);
          });
        }
      } finally {
        s.dispose();
      }
    });
  });

  describe('a model trained on torch predicts the same as its tfjs model', () => {
    it.each(LAYER_CASES)('$name', async (c) => {
      const plan = planModel({
        layers: c.layers,
        task: 'multiclass',
        numClasses: 3,
        inputShape: c.inputShape,
      });
      const n = 40;
      const d = c.inputShape.reduce((a, b) => a * b, 1);
      const x = randomArray(n * d, 17);
      const y = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) y[i * 3 + (i % 3)] = 1;
      const engine = torchEngine(addon, 'cpu');
      const s = await engine.open({
        plan,
        weights: randomWeights(plan, 5),
        train: { x, y, n },
        optimizer: { name: 'adam', learningRate: 0.01 },
        batchSize: 8,
        seed: 3,
      });
      try {
        for (let e = 1; e <= 3; e++) await s.runEpoch(e, 0.01);
        const trained = { plan, weights: await s.getWeights() };
        const served = tfjsModelOf(trained);
        try {
          const want = await s.predict(x, n);
          const got = tf.tidy(() => (served.predict(tf.tensor2d(x, [n, d])) as tf.Tensor).dataSync());
          const diff = Math.max(...Array.from(want, (v, i) => Math.abs(v - (got[i] as number))));
          found.push({ what: `served tfjs vs torch predict: ${c.name}`, diff });
          expect(diff).toBeLessThanOrEqual(1e-5);
        } finally {
          served.dispose();
        }
      } finally {
        s.dispose();
      }
    });
  });

  describe('training epochs agree with the tfjs engine', () => {
    const reference = (): TrainingEngine =>
      tfjsEngine({ name: 'cpu', tfBackend: 'cpu', gpu: false, reason: [] });
    const n = 12;

    async function bothEngines(plan: ModelPlan, opts: Partial<SessionOptions>, y: Float32Array, epochs = 3) {
      const x = randomArray(n * plan.inputShape.reduce((a, b) => a * b, 1), 21);
      const base: SessionOptions = {
        plan,
        weights: randomWeights(plan, 9),
        train: { x, y, n },
        validation: { x, y, n },
        optimizer: { name: 'sgd', learningRate: 0.1 },
        batchSize: n, // one batch per epoch: the shuffles of the two engines differ
        seed: 1,
        ...opts,
      };
      const out = [];
      for (const e of [reference(), torchEngine(addon, 'cpu')]) {
        const s = await e.open(base);
        try {
          const stats = [];
          for (let ep = 1; ep <= epochs; ep++) stats.push(await s.runEpoch(ep, base.optimizer.learningRate));
          out.push({ stats, weights: await s.getWeights() });
        } finally {
          s.dispose();
        }
      }
      return out as [(typeof out)[number], (typeof out)[number]];
    }

    function compare(what: string, [want, got]: Awaited<ReturnType<typeof bothEngines>>): void {
      expectClose(
        `${what}: loss`,
        got.stats.map((s) => s.loss),
        want.stats.map((s) => s.loss),
      );
      expectClose(
        `${what}: score`,
        got.stats.map((s) => s.score),
        want.stats.map((s) => s.score),
      );
      expectClose(
        `${what}: val_loss`,
        got.stats.map((s) => s.valLoss ?? NaN),
        want.stats.map((s) => s.valLoss ?? NaN),
      );
      want.weights.forEach((w, i) => expectClose(`${what}: weights`, got.weights[i]!.data, w.data));
    }

    const regression = planModel({
      layers: [{ dense: { units: 4, activation: 'tanh' } }],
      task: 'regression',
      inputShape: [3],
    });
    const yReg = randomArray(n, 5);

    it.each<OptimizerConfig>([
      { name: 'sgd', learningRate: 0.1 },
      { name: 'momentum', learningRate: 0.05 },
      { name: 'momentum', learningRate: 0.05, momentum: 0.5 },
      { name: 'adam', learningRate: 0.01 },
      { name: 'rmsprop', learningRate: 0.01 },
      { name: 'rmsprop', learningRate: 0.01, momentum: 0.8 },
    ])('optimizer %o', async (optimizer) => {
      compare(`optimizer ${optimizer.name}`, await bothEngines(regression, { optimizer }, yReg));
    });

    it.each([
      ['binaryCrossentropy', 'binary', 1],
      ['categoricalCrossentropy', 'multiclass', 3],
      ['meanSquaredError', 'regression', 1],
      ['meanAbsoluteError', 'regression', 1],
    ] as const)('loss %s', async (loss, task, k) => {
      const plan = planModel({
        layers: [{ dense: { units: 5, activation: 'relu' } }],
        task,
        inputShape: [3],
        ...(task === 'multiclass' ? { numClasses: k } : {}),
        output: { loss },
      });
      const y = new Float32Array(n * k);
      for (let i = 0; i < n; i++)
        y[i * k + (k === 1 ? 0 : i % k)] = task === 'regression' ? (i % 5) / 5 : i % 2;
      compare(`loss ${loss}`, await bothEngines(plan, {}, y));
    });

    it('class weights, clipping by norm and value, and L1/L2 penalties', async () => {
      const plan = planModel({
        layers: [{ dense: { units: 6, activation: 'relu', kernelRegularizer: { l1: 0.01, l2: 0.02 } } }],
        task: 'binary',
        inputShape: [3],
      });
      const y = Float32Array.from({ length: n }, (_, i) => i % 2);
      const w = Float32Array.from({ length: n }, (_, i) => (i % 2 ? 2 : 0.5));
      const x = randomArray(n * 3, 21);
      compare('class weights', await bothEngines(plan, { train: { x, y, n, w } }, y));
      compare(
        'clipNorm',
        await bothEngines(plan, { clipNorm: 0.05, optimizer: { name: 'sgd', learningRate: 1 } }, y),
      );
      compare(
        'clipValue',
        await bothEngines(plan, { clipValue: 0.01, optimizer: { name: 'sgd', learningRate: 1 } }, y),
      );
    });
  });
});
