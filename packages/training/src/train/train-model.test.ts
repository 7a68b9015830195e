import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { MyelinError } from '@myelin/errors';
import { testEngines } from '../engine/test-engines.js';
import type { TrainingEngine } from '../engine/training-engine.js';
import { initialModel, type LayerSpec, type ModelDefinition } from '../model/index.js';
import {
  deserializeCheckpoint,
  serializeCheckpoint,
  trainModel,
  type CheckpointState,
  type EpochEvent,
  type NamedArray,
} from './index.js';
import { binaryData, multiclassData, regressionData, testConfig } from './test-data.js';

const ENGINES = await testEngines();

const hidden: LayerSpec[] = [
  { dense: { units: 8, activation: 'relu', kernelRegularizer: { l2: 0.001 } } },
  { dropout: { rate: 0.2 } },
  { batchNormalization: {} },
];
const N = 64;
const bin = binaryData(N);
const binaryModel = (seed = 7): ModelDefinition =>
  initialModel({ layers: hidden, task: 'binary', inputShape: [4], seed });
const values = (weights: readonly NamedArray[]): Float32Array[] => weights.map((w) => w.data);

describe.each(ENGINES)('trainModel on $name', ({ engine }: { engine: TrainingEngine }) => {
  function run(
    model: ModelDefinition,
    config = testConfig(),
    extra: Partial<Parameters<typeof trainModel>[0]> = {},
  ) {
    return trainModel({
      engine,
      model,
      x: bin.x,
      y: bin.y,
      xShape: [N, 4],
      yShape: [N, 1],
      task: 'binary',
      config,
      ...extra,
    });
  }

  it('learns a separable binary problem and reports each epoch', async () => {
    const val = binaryData(32, 4, 99);
    const events: EpochEvent[] = [];
    const result = await run(binaryModel(), testConfig({ epochs: 8 }), {
      validation: { x: val.x, y: val.y, n: 32 },
      onEpoch: (e) => {
        events.push(e);
      },
    });
    expect(events.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(result.history).toEqual(events);
    expect(Object.keys(events[0]?.metrics ?? {}).sort()).toEqual([
      'accuracy',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    expect(events[0]).toMatchObject({ epochs: 8, learningRate: 0.02 });
    expect(events[0]?.samplesPerSec).toBeGreaterThan(0);
    const first = events[0]?.metrics as Record<string, number>;
    const last = events.at(-1)?.metrics as Record<string, number>;
    expect(last['loss']).toBeLessThan(first['loss'] as number);
    expect(last['val_accuracy']).toBeGreaterThanOrEqual(0.8);
    expect(result).toMatchObject({ epochsRun: 8, stopped: false, stoppedEarly: false });
    expect(result.engine).toBe(engine.info);
  });

  it('repeats exactly with the same seed (shuffle and dropout are seeded)', async () => {
    const ra = await run(binaryModel());
    const rb = await run(binaryModel());
    expect(rb.history.map((e) => e.metrics)).toEqual(ra.history.map((e) => e.metrics));
    expect(values(rb.model.weights)).toEqual(values(ra.model.weights));
    const rc = await run(binaryModel(), testConfig({ seed: 8 }));
    expect(rc.history.map((e) => e.metrics['loss'])).not.toEqual(ra.history.map((e) => e.metrics['loss']));
  });

  it('stops early on a plateau', async () => {
    // learning rate 0 and a minDelta no change can pass: no epoch improves on epoch 1
    const result = await run(
      binaryModel(),
      testConfig({
        epochs: 20,
        optimizer: { name: 'sgd', learningRate: 0 },
        earlyStopping: { monitor: 'loss', patience: 2, minDelta: 100, restoreBestWeights: false },
      }),
    );
    expect(result).toMatchObject({ epochsRun: 3, stoppedEarly: true, bestEpoch: 1 });
  });

  it('restores the weights of the best epoch', async () => {
    // validation labels are the training labels flipped: val_loss worsens as training learns
    const flipped = bin.y.map((v) => 1 - v);
    const snapshots = new Map<number, Float32Array[]>();
    const result = await run(
      binaryModel(),
      testConfig({
        epochs: 20,
        checkpointEvery: 1,
        earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0, restoreBestWeights: true },
      }),
      {
        validation: { x: bin.x, y: flipped, n: N },
        checkpoint: { save: async (s) => void snapshots.set(s.epoch, values(s.weights)) },
      },
    );
    expect(result.stoppedEarly).toBe(true);
    expect(result.bestEpoch).toBeLessThan(result.epochsRun);
    expect(result.epochsRun).toBe(result.bestEpoch + 2);
    expect(result.restoredEpoch).toBe(result.bestEpoch);
    expect(values(result.model.weights)).toEqual(snapshots.get(result.bestEpoch));
  });

  it('regression reports mae and val_mae and fits y = 2·x0 − x1', async () => {
    const data = regressionData(N);
    const val = regressionData(16, 3, 44);
    const result = await trainModel({
      engine,
      model: initialModel({ layers: [], task: 'regression', inputShape: [3], seed: 1 }),
      x: data.x,
      y: data.y,
      xShape: [N, 3],
      yShape: [N, 1],
      task: 'regression',
      validation: { x: val.x, y: val.y, n: 16 },
      config: testConfig({ epochs: 30, optimizer: { name: 'adam', learningRate: 0.1 } }),
    });
    const last = result.history.at(-1)?.metrics as Record<string, number>;
    expect(Object.keys(last).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    expect(last['val_mae']).toBeLessThan(0.2);
    expect(result.bestEpoch).toBeGreaterThan(0);
  });

  it('trains multiclass with every optimizer', async () => {
    const data = multiclassData(48);
    for (const name of ['sgd', 'momentum', 'adam', 'rmsprop'] as const) {
      const result = await trainModel({
        engine,
        model: initialModel({
          layers: [{ dense: { units: 6, activation: 'tanh' } }],
          task: 'multiclass',
          numClasses: 3,
          inputShape: [4],
          seed: 3,
        }),
        x: data.x,
        y: data.y,
        xShape: [48, 4],
        yShape: [48, 3],
        task: 'multiclass',
        config: testConfig({ epochs: 6, optimizer: { name, learningRate: name === 'sgd' ? 0.5 : 0.05 } }),
      });
      const losses = result.history.map((e) => e.metrics['loss'] as number);
      expect(losses.at(-1), name).toBeLessThan(losses[0] as number);
    }
  });

  it('weights the loss by class', async () => {
    // a balanced problem: 'balanced' weights are all 1, so the run equals the unweighted one
    const data = multiclassData(30);
    const y = new Float32Array(30 * 3);
    for (let i = 0; i < 30; i++) y[i * 3 + (i % 3)] = 1;
    const start = initialModel({ layers: [], task: 'multiclass', numClasses: 3, inputShape: [4], seed: 5 });
    const go = (config: ReturnType<typeof testConfig>) =>
      trainModel({
        engine,
        model: start,
        x: data.x,
        y,
        xShape: [30, 4],
        yShape: [30, 3],
        task: 'multiclass',
        config,
      });
    const plain = await go(testConfig({ epochs: 2 }));
    const balanced = await go(testConfig({ epochs: 2, classWeights: 'balanced' }));
    expect(balanced.history.map((e) => e.metrics)).toEqual(plain.history.map((e) => e.metrics));
    // all weights 0: nothing to learn, the objective is exactly 0
    const zero = await go(testConfig({ epochs: 2, classWeights: { '0': 0, '1': 0, '2': 0 } }));
    expect(zero.history.map((e) => e.metrics['loss'])).toEqual([0, 0]);
    // doubling every weight doubles the objective of a whole epoch with sgd at lr 0
    const sgd0 = testConfig({ epochs: 1, optimizer: { name: 'sgd', learningRate: 0 } });
    const once = await go(sgd0);
    const twice = await go({ ...sgd0, classWeights: { '0': 2, '1': 2, '2': 2 } });
    expect(twice.history[0]?.metrics['loss']).toBeCloseTo(
      2 * (once.history[0]?.metrics['loss'] as number),
      5,
    );
  });

  it('clips gradients by value and by global norm', async () => {
    const one = testConfig({ epochs: 1, batchSize: N, optimizer: { name: 'sgd', learningRate: 1 } });
    const start = initialModel({
      layers: [{ dense: { units: 4, activation: 'tanh' } }],
      task: 'binary',
      inputShape: [4],
      seed: 9,
    });
    const delta = (after: readonly NamedArray[]) =>
      start.weights.flatMap((w, i) => Array.from(w.data, (v, j) => (after[i]?.data[j] as number) - v));

    const r1 = await run(start, { ...one, clipValue: 0.001 });
    const d1 = delta(r1.model.weights);
    expect(Math.max(...d1.map(Math.abs))).toBeLessThanOrEqual(0.001 + 1e-6);
    expect(Math.max(...d1.map(Math.abs))).toBeGreaterThan(0.0009);

    const r2 = await run(start, { ...one, clipNorm: 0.01 });
    const norm = Math.sqrt(delta(r2.model.weights).reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(0.01, 5);
  });

  it('follows the learning-rate schedule per epoch', async () => {
    const result = await run(
      binaryModel(),
      testConfig({
        epochs: 5,
        optimizer: { name: 'sgd', learningRate: 0.1 },
        lrSchedule: { type: 'step', every: 2, factor: 0.5 },
      }),
    );
    expect(result.history.map((e) => e.learningRate)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('resumes from a checkpoint to the same weights as an uninterrupted run', async () => {
    // 4 steps per epoch: the checkpoint after epoch 2 holds adam after 8 steps
    const config = testConfig({ epochs: 6, checkpointEvery: 2 });
    const saved: Uint8Array[] = [];
    const full = await run(binaryModel(), config, {
      checkpoint: { save: async (s) => void saved.push(serializeCheckpoint(s)) },
    });
    expect(saved).toHaveLength(3); // after epochs 2, 4 and 6
    const at2 = deserializeCheckpoint(saved[0] as Uint8Array);
    expect(at2).toMatchObject({ epoch: 2, engine: engine.info.engine, formatVersion: 2 });
    expect(at2.history.map((e) => e.epoch)).toEqual([1, 2]);
    expect(at2.optimizerWeights?.[0]?.data[0]).toBe(8);

    // other initial weights: all of them come from the checkpoint
    const rest = await run(binaryModel(99), config, { resumeFrom: at2 });
    expect(rest.epochsRun).toBe(6);
    expect(rest.history.map((e) => e.metrics)).toEqual(full.history.map((e) => e.metrics));
    expect(values(rest.model.weights)).toEqual(values(full.model.weights));
  });

  it('stops gracefully at an epoch boundary and writes a checkpoint', async () => {
    const states: CheckpointState[] = [];
    let epochs = 0;
    const result = await run(binaryModel(), testConfig({ epochs: 6 }), {
      onEpoch: () => {
        epochs++;
      },
      shouldStop: () => epochs >= 2,
      checkpoint: { every: 5, save: async (s) => void states.push(s) },
    });
    expect(result).toMatchObject({ stopped: true, epochsRun: 2 });
    expect(states.map((s) => s.epoch)).toEqual([2]);
    expect(states[0]?.history).toHaveLength(2);

    const straight = await run(binaryModel(), testConfig({ epochs: 6 }));
    const resumed = await run(binaryModel(), testConfig({ epochs: 6 }), {
      resumeFrom: states[0] as CheckpointState,
    });
    expect(values(resumed.model.weights)).toEqual(values(straight.model.weights));
  });

  it('fails with the epoch named when a callback throws, and on a diverging loss', async () => {
    const err = await run(binaryModel(), testConfig({ epochs: 4 }), {
      onEpoch: (e) => {
        if (e.epoch === 2) throw new Error('disk full');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MyelinError);
    expect((err as MyelinError).code).toBe('MYELIN_ERR_TRAIN');
    expect((err as MyelinError).message).toMatch(/epoch 2: disk full/);

    const nan = await run(
      binaryModel(),
      testConfig({ optimizer: { name: 'sgd', learningRate: 1e30 } }),
    ).catch((e: unknown) => e);
    expect((nan as MyelinError).code).toBe('MYELIN_ERR_TRAIN');
    expect((nan as MyelinError).message).toMatch(
      /loss became (NaN|Infinity|-Infinity) at epoch \d+, step \d+/,
    );
  });

  it('trains a small CNN on flat image rows', async () => {
    // 4×4 one-channel images: class 1 when the left half is brighter than the right half
    const n = 24;
    const x = new Float32Array(n * 16);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const left = i % 2 === 0;
      for (let p = 0; p < 16; p++) x[i * 16 + p] = p % 4 < 2 === left ? 1 : 0;
      y[i] = left ? 1 : 0;
    }
    const result = await trainModel({
      engine,
      model: initialModel({
        layers: [
          { conv2d: { filters: 2, kernelSize: 2, activation: 'relu' } },
          { maxPooling2d: { poolSize: 2 } },
        ],
        task: 'binary',
        inputShape: [4, 4, 1],
        seed: 2,
      }),
      x,
      y,
      xShape: [n, 16],
      yShape: [n, 1],
      task: 'binary',
      config: testConfig({ epochs: 3, batchSize: 8, optimizer: { name: 'adam', learningRate: 0.05 } }),
    });
    const losses = result.history.map((e) => e.metrics['loss'] as number);
    expect(losses[2]).toBeLessThan(losses[0] as number);
  });

  it('refuses data that does not fit the model', async () => {
    const model = binaryModel();
    const base = { engine, model, x: bin.x, y: bin.y, task: 'binary' as const, config: testConfig() };
    await expect(trainModel({ ...base, xShape: [N, 3], yShape: [N, 1] })).rejects.toMatchObject({
      code: 'MYELIN_ERR_TRAIN',
    });
    await expect(trainModel({ ...base, xShape: [32, 8], yShape: [32, 2] })).rejects.toThrow(
      /model takes rows of 4/,
    );
  });
});

describe('trainModel on tfjs', () => {
  const engine = ENGINES[0]!.engine;
  it('releases every tensor, after a failure and after every optimizer', async () => {
    const model = binaryModel();
    const base = {
      engine,
      model,
      x: bin.x,
      y: bin.y,
      xShape: [N, 4] as [number, number],
      yShape: [N, 1] as [number, number],
      task: 'binary' as const,
    };
    const before = tf.memory().numTensors;
    await trainModel({
      ...base,
      config: testConfig({ epochs: 4 }),
      onEpoch: (e) => {
        if (e.epoch === 2) throw new Error('disk full');
      },
    }).catch(() => undefined);
    expect(tf.memory().numTensors).toBe(before);
    await trainModel({
      ...base,
      config: testConfig({ optimizer: { name: 'sgd', learningRate: 1e30 } }),
    }).catch(() => undefined);
    expect(tf.memory().numTensors).toBe(before);
    for (const name of ['sgd', 'momentum', 'adam', 'rmsprop'] as const) {
      const config = testConfig({ epochs: 2, checkpointEvery: 1, optimizer: { name, learningRate: 0.01 } });
      await trainModel({ ...base, config, checkpoint: { save: async () => undefined } });
      expect(tf.memory().numTensors, name).toBe(before);
    }
  });
});
