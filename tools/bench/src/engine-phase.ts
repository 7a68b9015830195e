/**
 * One `bench:train` measurement in its own process (so each side's memory is its own):
 * `run.js engine-phase '<EnginePhaseArgs JSON>'`; prints one JSON line with samples/s of the
 * timed epochs (1 warm-up epoch excluded), the whole call's seconds and the peak RSS.
 *
 * - method `engine`: Myelin's `trainModel` on the torch engine or the tfjs engine (wasm backend),
 *   rows in JS memory, no validation: what the train step does once the data is unpacked;
 * - method `step`: the whole train step (`STEPS.train.run`) on a real artifact store in a temp
 *   folder with the engine forced, timed from the preprocess artifact in the store (its write is
 *   the preprocess step's): engine selection and self-test, reading and unpacking that artifact, checkpoints (the spec default, every 10 epochs), the model file and the served
 *   tfjs model — what `myelin run` adds around the engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsArtifactStore } from '@myelin/artifacts';
import { mulberry32 } from './bench-random.js';
import { runBenchTrainStep } from './bench-train-step.js';
import {
  initialModel,
  loadTorchAddon,
  tfjsEngine,
  torchEngine,
  trainModel,
  useBackend,
  type LayerSpec,
  type TrainingEngine,
} from '@myelin/training';

export interface EnginePhaseArgs {
  engine: 'torch' | 'wasm';
  method: 'engine' | 'step';
  model: 'mlp' | 'cnn';
  rows: number;
  epochs: number;
  batchSize: number;
  threads: number;
}

export interface EnginePhaseResult {
  samplesPerSec: number;
  /** Wall time of the whole call (setup included). */
  seconds: number;
  finalLoss: number;
  maxRssMb: number;
}

const CLASSES = 10;

/** Uniform rows labelled by a random linear teacher (as the Python baseline makes them), one-hot. */
export function benchData(
  model: EnginePhaseArgs['model'],
  rows: number,
): { x: Float32Array; y: Float32Array; d: number } {
  const d = model === 'mlp' ? 784 : 64;
  const rand = mulberry32(7);
  const teacher = Float32Array.from({ length: d * CLASSES }, () => rand() * 2 - 1);
  const x = new Float32Array(rows * d);
  const y = new Float32Array(rows * CLASSES);
  for (let i = 0; i < rows; i++) {
    const scores = new Float64Array(CLASSES);
    for (let j = 0; j < d; j++) {
      const v = rand();
      x[i * d + j] = v;
      for (let c = 0; c < CLASSES; c++) scores[c]! += v * teacher[j * CLASSES + c]!;
    }
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (scores[c]! > scores[best]!) best = c;
    y[i * CLASSES + best] = 1;
  }
  return { x, y, d };
}

/** The benchmark's models as the pipeline file's `model.layers` (the output layer comes from the task). */
export function benchLayers(model: EnginePhaseArgs['model']): LayerSpec[] {
  return model === 'mlp'
    ? [{ dense: { units: 256, activation: 'relu' } }, { dense: { units: 128, activation: 'relu' } }]
    : [
        { conv2d: { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' } },
        { maxPooling2d: { poolSize: 2 } },
        { conv2d: { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' } },
      ];
}

const inputShapeOf = (model: EnginePhaseArgs['model']): number[] => (model === 'mlp' ? [784] : [8, 8, 1]);

async function engineFor(a: EnginePhaseArgs): Promise<TrainingEngine> {
  if (a.engine === 'torch') {
    const loaded = loadTorchAddon();
    if (!loaded.ok) throw new Error(`the torch engine is not usable: ${loaded.why}`);
    loaded.addon.setNumThreads(a.threads);
    await useBackend('wasm'); // tfjs makes the seeded initial weights, as in the train step
    return torchEngine(loaded.addon, 'cpu');
  }
  await useBackend('wasm');
  return tfjsEngine({ name: 'wasm', tfBackend: 'wasm', gpu: false, reason: [] });
}

function timed(ends: number[], rows: number): number {
  const first = ends[0];
  const last = ends.at(-1);
  if (first === undefined || last === undefined || ends.length < 2) return 0;
  return (rows * (ends.length - 1) * 1000) / (last - first);
}

async function measureEngine(a: EnginePhaseArgs): Promise<EnginePhaseResult> {
  const { x, y, d } = benchData(a.model, a.rows);
  const ends: number[] = [];
  const t0 = performance.now(); // loading the engine counts, as `import torch` does for PyTorch
  const engine = await engineFor(a);
  const result = await trainModel({
    engine,
    model: initialModel({
      layers: benchLayers(a.model),
      task: 'multiclass',
      numClasses: CLASSES,
      inputShape: inputShapeOf(a.model),
      seed: 7,
    }),
    x,
    y,
    xShape: [a.rows, d],
    yShape: [a.rows, CLASSES],
    task: 'multiclass',
    config: {
      epochs: 1 + a.epochs,
      batchSize: a.batchSize,
      optimizer: { name: 'adam', learningRate: 1e-3 },
      seed: 7,
      checkpointEvery: 0,
    },
    onEpoch: () => void ends.push(performance.now()),
  });
  return {
    samplesPerSec: timed(ends, a.rows),
    seconds: (performance.now() - t0) / 1000,
    finalLoss: result.history.at(-1)?.metrics['loss'] ?? NaN,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function measureStep(a: EnginePhaseArgs): Promise<EnginePhaseResult> {
  process.env['MYELIN_ENGINE'] = a.engine === 'torch' ? 'torch' : 'tfjs';
  if (a.engine === 'wasm') process.env['MYELIN_BACKEND'] = 'wasm';
  process.env['MYELIN_THREADS'] = String(a.threads);
  const dir = mkdtempSync(join(tmpdir(), 'myelin-bench-step-'));
  try {
    const { x, y, d } = benchData(a.model, a.rows);
    const ends: number[] = [];
    let finalLoss = NaN;
    let t0 = performance.now();
    await runBenchTrainStep({
      store: new FsArtifactStore({ root: dir }),
      layers: benchLayers(a.model),
      train: {
        epochs: 1 + a.epochs,
        batchSize: a.batchSize,
        learningRate: 1e-3,
        seed: 7,
        checkpointEvery: 10,
      },
      x,
      y,
      rows: a.rows,
      features: d,
      classes: CLASSES,
      inputShape: inputShapeOf(a.model),
      onEpoch: (metrics) => {
        ends.push(performance.now());
        finalLoss = metrics['loss'] ?? NaN;
      },
      onStart: () => void (t0 = performance.now()),
    });
    return {
      samplesPerSec: timed(ends, a.rows),
      seconds: (performance.now() - t0) / 1000,
      finalLoss,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv[3];
if (args) {
  const a = JSON.parse(args) as EnginePhaseArgs;
  const r = a.method === 'step' ? await measureStep(a) : await measureEngine(a);
  console.log(JSON.stringify(r));
}
