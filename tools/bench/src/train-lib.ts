/**
 * Shared pieces of `bench:train`: the synthetic digits-sized data set, the two models (as
 * Myelin `LayerSpec[]` and as a hand-built `tf.sequential`), and the three ways of training them
 * that the benchmark times. Every measurement trains 1 warm-up epoch plus `epochs` timed epochs
 * in one call and times the timed epochs only, from epoch-end timestamps (so model building,
 * compilation, tensor creation and the first, JIT-warming epoch are excluded on every side).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FsArtifactStore } from '@myelin/artifacts';
import { mulberry32 } from './bench-random.js';
import { runBenchTrainStep } from './bench-train-step.js';
import {
  initialModel,
  tfjsEngine,
  trainModel,
  type BackendName,
  type LayerSpec,
  type TrainConfig,
} from '@myelin/training';

export type ModelName = 'mlp' | 'cnn';
export type Method = 'raw' | 'myelin' | 'pipeline';

/** What one child phase is asked to measure. */
export interface PhaseArgs {
  backend: string;
  model: ModelName;
  rows: number;
  epochs: number;
  reps: number;
  batchSize: number;
  methods: Method[];
}

/** One timed run. */
export interface Measurement {
  method: Method;
  samplesPerSec: number;
  seconds: number;
  /** Training loss of the last epoch (sanity check: both sides learn the same way). */
  finalLoss: number;
}

export const FEATURES = 64;
export const CLASSES = 10;
export const LEARNING_RATE = 1e-3;
export const SEED = 7;
export const WARMUP_EPOCHS = 1;

/**
 * Digits-sized synthetic data: `rows` samples of 64 features in 10 classes, each class a
 * Gaussian blob (σ 0.35) around its own random centre in [0, 1]^64; one-hot targets. Seeded.
 */
export function makeData(rows: number, seed = SEED): { x: Float32Array; y: Float32Array } {
  const rand = mulberry32(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const centres = Array.from({ length: CLASSES }, () => Float32Array.from({ length: FEATURES }, rand));
  const x = new Float32Array(rows * FEATURES);
  const y = new Float32Array(rows * CLASSES);
  for (let i = 0; i < rows; i++) {
    const c = i % CLASSES;
    const centre = centres[c] as Float32Array;
    for (let j = 0; j < FEATURES; j++) x[i * FEATURES + j] = (centre[j] as number) + 0.35 * gauss();
    y[i * CLASSES + c] = 1;
  }
  return { x, y };
}

/** The model as the pipeline file's `model.layers` (the output layer comes from the task). */
export function layerSpecs(model: ModelName): LayerSpec[] {
  if (model === 'mlp') {
    return [
      { dense: { units: 64, activation: 'relu' } },
      { dense: { units: 128, activation: 'relu' } },
      { dense: { units: 64, activation: 'relu' } },
    ];
  }
  return [
    { conv2d: { filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { maxPooling2d: { poolSize: 2 } },
    { conv2d: { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' } },
    { maxPooling2d: { poolSize: 2 } },
  ];
}

/** Shape of one sample as the pipeline's preprocess step reports it. */
export function inputShapeOf(model: ModelName): number[] {
  return model === 'mlp' ? [FEATURES] : [8, 8, 1];
}

/**
 * The same model written by hand, as a user of plain tfjs would (images fed as [n, 8, 8, 1],
 * flatten before the output layer; default Glorot-uniform initializers, zero biases).
 */
export function rawModel(model: ModelName): tf.Sequential {
  const m = tf.sequential();
  if (model === 'mlp') {
    m.add(tf.layers.dense({ inputShape: [FEATURES], units: 64, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
    m.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  } else {
    m.add(
      tf.layers.conv2d({
        inputShape: [8, 8, 1],
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      }),
    );
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.flatten());
  }
  m.add(tf.layers.dense({ units: CLASSES, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: 'categoricalCrossentropy' });
  return m;
}

/** Disposes a model and the optimizer object it was compiled with (tfjs keeps it alive). */
function disposeRaw(m: tf.LayersModel): void {
  const optimizer = m.optimizer;
  m.dispose();
  optimizer.dispose();
}

/** Samples/s and seconds of the timed epochs, from the end times of every epoch (warm-up first). */
function fromEpochEnds(
  ends: number[],
  start: number,
  rows: number,
  epochs: number,
): Pick<Measurement, 'samplesPerSec' | 'seconds'> {
  const from = ends[WARMUP_EPOCHS - 1] ?? start;
  const to = ends[WARMUP_EPOCHS + epochs - 1];
  if (to === undefined) throw new Error(`only ${ends.length} of ${WARMUP_EPOCHS + epochs} epochs ran`);
  const seconds = (to - from) / 1000;
  return { seconds, samplesPerSec: (rows * epochs) / seconds };
}

/** (a) raw: hand-built `tf.sequential` + `model.fit` on whole-data tensors, shuffle on. */
export async function measureRaw(a: PhaseArgs, x: Float32Array, y: Float32Array): Promise<Measurement> {
  const model = rawModel(a.model);
  const xt = a.model === 'mlp' ? tf.tensor2d(x, [a.rows, FEATURES]) : tf.tensor4d(x, [a.rows, 8, 8, 1]);
  const yt = tf.tensor2d(y, [a.rows, CLASSES]);
  const ends: number[] = [];
  let finalLoss = NaN;
  const start = performance.now();
  try {
    await model.fit(xt, yt, {
      batchSize: a.batchSize,
      epochs: WARMUP_EPOCHS + a.epochs,
      shuffle: true,
      verbose: 0,
      // the timing callback must not add tfjs's periodic yields: a plain fit has none
      yieldEvery: 'never',
      callbacks: {
        onEpochEnd: (_epoch, logs) => {
          ends.push(performance.now());
          finalLoss = logs?.['loss'] ?? NaN;
        },
      },
    });
  } finally {
    tf.dispose([xt, yt]);
    disposeRaw(model);
  }
  return { method: 'raw', finalLoss, ...fromEpochEnds(ends, start, a.rows, a.epochs) };
}

function trainConfig(a: PhaseArgs): TrainConfig {
  return {
    epochs: WARMUP_EPOCHS + a.epochs,
    batchSize: a.batchSize,
    optimizer: { name: 'adam', learningRate: LEARNING_RATE },
    seed: SEED,
    checkpointEvery: 10,
  };
}

/**
 * (b) Myelin: what the train step does with the model — `buildModel` from the `LayerSpec[]` and
 * `trainModel` (custom loop) on the rows in JS memory; no validation, no early stopping.
 */
export async function measureMyelin(a: PhaseArgs, x: Float32Array, y: Float32Array): Promise<Measurement> {
  const model = initialModel({
    layers: layerSpecs(a.model),
    task: 'multiclass',
    numClasses: CLASSES,
    inputShape: inputShapeOf(a.model),
    seed: SEED,
  });
  const engine = tfjsEngine({ name: a.backend as BackendName, tfBackend: a.backend, gpu: false, reason: [] });
  const ends: number[] = [];
  const start = performance.now();
  {
    const result = await trainModel({
      engine,
      model,
      x,
      y,
      xShape: [a.rows, FEATURES],
      yShape: [a.rows, CLASSES],
      config: trainConfig(a),
      task: 'multiclass',
      classes: CLASSES,
      onEpoch: () => {
        ends.push(performance.now());
      },
    });
    const finalLoss = result.history.at(-1)?.metrics['loss'] ?? NaN;
    return { method: 'myelin', finalLoss, ...fromEpochEnds(ends, start, a.rows, a.epochs) };
  }
}

/**
 * (c) the whole train step (`STEPS.train.run`) against a real `FsArtifactStore` in a temp folder:
 * backend selection (MYELIN_BACKEND, set by the parent), unpacking the preprocess artifact,
 * epoch events, checkpoint policy (every 10 epochs, the spec default), model serialization.
 * Timed like (b), from the epoch events; the metadata store is not involved (runStep's job).
 */
export async function measurePipeline(a: PhaseArgs, x: Float32Array, y: Float32Array): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'myelin-bench-train-'));
  try {
    const ends: number[] = [];
    let finalLoss = NaN;
    const t = trainConfig(a);
    let start = performance.now();
    await runBenchTrainStep({
      store: new FsArtifactStore({ root: dir }),
      layers: layerSpecs(a.model),
      train: {
        epochs: t.epochs,
        batchSize: t.batchSize,
        learningRate: LEARNING_RATE,
        seed: t.seed,
        checkpointEvery: t.checkpointEvery,
      },
      x,
      y,
      rows: a.rows,
      features: FEATURES,
      classes: CLASSES,
      inputShape: inputShapeOf(a.model),
      onEpoch: (metrics) => {
        ends.push(performance.now());
        finalLoss = metrics['loss'] ?? NaN;
      },
      onStart: () => void (start = performance.now()),
    });
    return { method: 'pipeline', finalLoss, ...fromEpochEnds(ends, start, a.rows, a.epochs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const MEASURE: Record<
  Method,
  (a: PhaseArgs, x: Float32Array, y: Float32Array) => Promise<Measurement>
> = {
  raw: measureRaw,
  myelin: measureMyelin,
  pipeline: measurePipeline,
};

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
