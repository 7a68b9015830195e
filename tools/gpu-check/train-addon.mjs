// The Node side of the GPU check (plain JavaScript: the GPU machine has a Node binary but no
// node_modules). Makes the data and initial weights of a case with a seeded PRNG, writes them as
// raw float32 files for the Python side, trains them with the torch addon on a device, and
// writes the per-epoch losses, samples/s and final weights.
//   node train-addon.mjs <case: mlp|cnn> <outDir> <device> <epochs>
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [caseName = 'mlp', outDir = '/tmp/gpu-check', device = 'cuda:0', epochsArg = '3'] =
  process.argv.slice(2);
const epochs = Number(epochsArg);
const require = createRequire(import.meta.url);
const addon = require(
  process.env.MYELIN_TORCH_ADDON ??
    new URL('../../packages/torch-addon/build/Release/myelin_torch.node', import.meta.url).pathname,
);

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const dense = (inputs, units, activation) => ({
  kind: 'dense',
  source: 0,
  inputs,
  units,
  activation,
  l1: 0,
  l2: 0,
});
const CASES = {
  mlp: {
    rows: Number(process.env.GPU_CHECK_ROWS ?? 60000),
    batchSize: Number(process.env.GPU_CHECK_BATCH ?? 128),
    inputShape: [784],
    layers: [dense(784, 256, 'relu'), dense(256, 128, 'relu'), dense(128, 10, 'softmax')],
  },
  cnn: {
    rows: Number(process.env.GPU_CHECK_ROWS ?? 20000),
    batchSize: Number(process.env.GPU_CHECK_BATCH ?? 32),
    inputShape: [8, 8, 1],
    layers: [
      {
        kind: 'conv2d',
        source: 0,
        inChannels: 1,
        filters: 16,
        kernelHeight: 3,
        kernelWidth: 3,
        strideHeight: 1,
        strideWidth: 1,
        padding: 'same',
        padTop: 1,
        padBottom: 1,
        padLeft: 1,
        padRight: 1,
        activation: 'relu',
        l1: 0,
        l2: 0,
      },
      { kind: 'maxPooling2d', source: 1, kernelHeight: 2, kernelWidth: 2, strideHeight: 2, strideWidth: 2 },
      {
        kind: 'conv2d',
        source: 2,
        inChannels: 16,
        filters: 32,
        kernelHeight: 3,
        kernelWidth: 3,
        strideHeight: 1,
        strideWidth: 1,
        padding: 'same',
        padTop: 1,
        padBottom: 1,
        padLeft: 1,
        padRight: 1,
        activation: 'relu',
        l1: 0,
        l2: 0,
      },
      { kind: 'flatten', source: -1 },
      dense(512, 10, 'softmax'),
    ],
  },
};
const c = CASES[caseName];
if (!c) throw new Error(`unknown case ${caseName}`);
const d = c.inputShape.reduce((a, b) => a * b, 1);
const k = 10;
const rand = mulberry32(7);
const x = new Float32Array(c.rows * d);
const y = new Float32Array(c.rows * k);
const teacher = Float32Array.from({ length: d * k }, () => rand() * 2 - 1);
for (let i = 0; i < c.rows; i++) {
  const s = new Float64Array(k);
  for (let j = 0; j < d; j++) {
    const v = rand();
    x[i * d + j] = v;
    for (let q = 0; q < k; q++) s[q] += v * teacher[j * k + q];
  }
  let best = 0;
  for (let q = 1; q < k; q++) if (s[q] > s[best]) best = q;
  y[i * k + best] = 1;
}
// Glorot-uniform weights, zero biases, canonical (PyTorch) names and layouts
const state = [];
c.layers.forEach((l, i) => {
  if (l.kind === 'dense' || l.kind === 'conv2d') {
    const shape =
      l.kind === 'dense' ? [l.units, l.inputs] : [l.filters, l.inChannels, l.kernelHeight, l.kernelWidth];
    const field = l.kind === 'dense' ? 1 : l.kernelHeight * l.kernelWidth;
    const limit = Math.sqrt(6 / (shape[1] * field + shape[0] * field));
    const size = shape.reduce((a, b) => a * b, 1);
    state.push({
      name: `${i}.weight`,
      shape,
      dtype: 'float32',
      data: Float32Array.from({ length: size }, () => (rand() * 2 - 1) * limit),
    });
    state.push({ name: `${i}.bias`, shape: [shape[0]], dtype: 'float32', data: new Float32Array(shape[0]) });
  }
});

mkdirSync(outDir, { recursive: true });
const raw = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(join(outDir, 'x.f32'), raw(x));
writeFileSync(join(outDir, 'y.f32'), raw(y));
for (const w of state) writeFileSync(join(outDir, `init_${w.name}.f32`), raw(w.data));

addon.setNumThreads(Number(process.env.MYELIN_THREADS ?? 1));
const session = new addon.Session({
  inputShape: c.inputShape,
  layers: c.layers,
  loss: 'categoricalCrossentropy',
  regression: false,
  optimizer: {
    name: 'adam',
    learningRate: 1e-3,
    momentum: 0,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    decay: 0.9,
  },
  clipNorm: 0,
  clipValue: 0,
  device,
  state,
});
session.setTrainingData(x, y, c.rows);
const history = [];
for (let epoch = 1; epoch <= epochs; epoch++) {
  const shuffleSeed = 1000 + epoch;
  const r = await session.runEpoch({
    epoch,
    batchSize: c.batchSize,
    learningRate: 1e-3,
    shuffleSeed,
    dropoutSeed: epoch,
  });
  history.push({ epoch, shuffleSeed, loss: r.loss, samplesPerSec: (c.rows * 1000) / r.trainMs });
  process.stderr.write(
    `  addon ${caseName} epoch ${epoch}: loss ${r.loss.toFixed(5)}, ${Math.round((c.rows * 1000) / r.trainMs)} samples/s\n`,
  );
}
const final = session.getState();
for (const w of final) writeFileSync(join(outDir, `final_${w.name}.f32`), raw(w.data));
session.dispose();
writeFileSync(
  join(outDir, 'result.json'),
  JSON.stringify({
    case: caseName,
    device,
    rows: c.rows,
    batchSize: c.batchSize,
    inputShape: c.inputShape,
    layers: c.layers,
    weights: state.map((w) => ({ name: w.name, shape: w.shape })),
    history,
    info: addon.info(),
  }),
);
