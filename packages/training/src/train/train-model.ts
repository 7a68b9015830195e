import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import { metricDirection } from '../metrics/index.js';
import {
  deriveSeed,
  getWeightsSnapshot,
  isLossName,
  setWeightsSnapshot,
  type LossName,
} from '../model/index.js';
import type { CheckpointState, NamedArray } from './checkpoint-state.js';
import { sampleWeightsFor } from './class-weights.js';
import { createOptimizer, disposeOptimizer, setOptimizerLearningRate } from './create-optimizer.js';
import { evaluateSet } from './evaluate-set.js';
import { gatherRows } from './gather-rows.js';
import { learningRateAt } from './learning-rate-at.js';
import { MetricTracker } from './metric-tracker.js';
import { readOptimizerState, writeOptimizerState } from './optimizer-state.js';
import { seededPermutation } from './seeded-permutation.js';
import type { TrainConfig } from './train-config.js';
import { trainStep, type StepContext } from './train-step.js';
import type { EpochEvent, TrainOptions, TrainResult } from './train-types.js';

const fail = (detail: string): MyelinError => new MyelinError('MYELIN_ERR_TRAIN', detail);

function widthOf(shape: readonly (number | null)[] | undefined): number {
  return (shape ?? []).slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
}

function checkInputs(opts: TrainOptions): void {
  const [n, d] = opts.xShape;
  const [ny, k] = opts.yShape;
  const { epochs, batchSize } = opts.config;
  for (const [name, v] of [
    ['n', n],
    ['d', d],
    ['k', k],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw fail(`${name} must be a positive integer, got ${v}`);
  }
  if (ny !== n) throw fail(`x has ${n} rows but y has ${ny}`);
  if (opts.x.length !== n * d) throw fail(`x holds ${opts.x.length} values, expected n·d = ${n}·${d}`);
  if (opts.y.length !== n * k) throw fail(`y holds ${opts.y.length} values, expected n·k = ${n}·${k}`);
  if (!Number.isInteger(epochs) || epochs < 0) throw fail(`epochs must be an integer ≥ 0, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw fail(`batchSize must be a positive integer, got ${batchSize}`);
  const inWidth = widthOf(opts.model.inputs[0]?.shape);
  const outWidth = widthOf(opts.model.outputs[0]?.shape);
  if (inWidth !== d) throw fail(`the model takes rows of ${inWidth} values, the data has ${d}`);
  if (outWidth !== k) throw fail(`the model outputs ${outWidth} values per row, the targets have ${k}`);
  const v = opts.validation;
  if (v && (v.x.length !== v.n * d || v.y.length !== v.n * k)) {
    throw fail(
      `validation set of ${v.n} rows needs ${v.n * d} x values and ${v.n * k} y values, got ${v.x.length} and ${v.y.length}`,
    );
  }
}

function lossOf(model: tf.LayersModel, task: TrainOptions['task']): LossName {
  if (typeof model.loss === 'string') {
    if (!isLossName(model.loss))
      throw fail(`the model is compiled with loss "${model.loss}", which the trainer does not implement`);
    return model.loss;
  }
  return task === 'binary'
    ? 'binaryCrossentropy'
    : task === 'multiclass'
      ? 'categoricalCrossentropy'
      : 'meanSquaredError';
}

function monitorOf(
  config: TrainConfig,
  hasValidation: boolean,
  regression: boolean,
  log: (m: string) => void,
): string {
  let monitor: string = config.earlyStopping?.monitor ?? (hasValidation ? 'val_loss' : 'loss');
  if (regression && monitor === 'val_accuracy') {
    throw new MyelinError(
      'MYELIN_ERR_SPEC_INVALID',
      'a regression model has no accuracy to monitor; use val_loss',
      {
        path: 'train.earlyStopping.monitor',
      },
    );
  }
  if (monitor.startsWith('val_') && !hasValidation) {
    const fallback = monitor.slice(4);
    log(`no validation set: early stopping monitors ${fallback} instead of ${monitor}`);
    monitor = fallback;
  }
  return monitor;
}

function named(model: tf.LayersModel, arrays: readonly Float32Array[]): NamedArray[] {
  return model.weights.map((w, i) => ({
    name: w.originalName,
    shape: w.shape.map((s) => s ?? 1),
    dtype: 'float32' as const,
    data: arrays[i] as Float32Array,
  }));
}

function checkWeights(model: tf.LayersModel, arrays: readonly NamedArray[], what: string): Float32Array[] {
  const weights = model.weights;
  if (arrays.length !== weights.length) {
    throw fail(
      `${what} holds ${arrays.length} weights, the model has ${weights.length}: was it made for another model?`,
    );
  }
  weights.forEach((w, i) => {
    const shape = w.shape.map((s) => s ?? 1).join(',');
    if (arrays[i]?.shape.join(',') !== shape) {
      throw fail(
        `${what} weight ${i} has shape [${arrays[i]?.shape.join(', ')}], the model's ${w.name} has [${shape}]`,
      );
    }
  });
  return arrays.map((a) => a.data);
}

/**
 * Trains a model on rows held in JS memory, with a custom loop (always; never `model.fit`): one
 * code path for class weights, gradient clipping, seeded dropout, checkpoints and exact resumes.
 *
 * - Each epoch visits the rows in `seededPermutation(n, seed, epoch)` order; each batch is
 *   copied into its own arrays and tensors, and released after its step (`trainStep`).
 * - Dropout layers get a seed derived from (seed, epoch, step, layer) before every step, so two
 *   runs with the same seed, data and backend give identical histories and weights.
 * - The learning rate follows `learningRateAt` and is set on the optimizer before each epoch.
 * - The monitored metric is `earlyStopping.monitor`, or `val_loss` (`loss` without validation);
 *   a `val_*` monitor without a validation set falls back to the training metric (logged).
 *   Early stopping ends the run after `patience` epochs without an improvement > `minDelta`.
 *   With `restoreBestWeights`, the best epoch's weights are put back when the run ends by early
 *   stopping or by running out of epochs (not when `shouldStop` interrupts it).
 * - Checkpoints are saved after every `checkpoint.every` (default `config.checkpointEvery`)
 *   epochs; `shouldStop()` is asked before each epoch and, when true, a checkpoint of the last
 *   completed epoch is saved (unless just saved) and the run returns with `stopped: true`.
 * - `resumeFrom` restores weights, optimizer state, early-stopping state and history, and goes
 *   on with epoch + 1: the result equals an uninterrupted run on the same backend.
 * - A non-finite loss stops the run with `MYELIN_ERR_TRAIN`; any other failure (including from
 *   `onEpoch` or `checkpoint.save`) is rethrown as `MYELIN_ERR_TRAIN` with the cause attached.
 *   Every tensor the run made is released either way; the model keeps its latest weights.
 *
 * @example
 * const result = await trainModel({ model, x, y, xShape: [n, d], yShape: [n, 1], task: 'binary',
 *   config, validation: { x: xv, y: yv, n: nv }, onEpoch: (e) => console.log(e.epoch, e.metrics) });
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  checkInputs(opts);
  const { model, x, y, config, task } = opts;
  const log = opts.log ?? ((): void => undefined);
  const [n, d] = opts.xShape;
  const k = opts.yShape[1];
  const regression = task === 'regression';
  const validation = opts.validation && opts.validation.n > 0 ? opts.validation : undefined;
  const loss = lossOf(model, task);
  const monitor = monitorOf(config, validation !== undefined, regression, log);
  const es = config.earlyStopping;
  const tracker = new MetricTracker(metricDirection(monitor), es?.minDelta ?? 0, es ? es.patience : Infinity);
  if (regression && config.classWeights) log('classWeights ignored: the task is regression');
  const sampleWeights = regression ? undefined : sampleWeightsFor(config.classWeights, y, n, k);
  const scoreName = regression ? 'mae' : 'accuracy';
  const checkpointEvery = opts.checkpoint?.every ?? config.checkpointEvery;
  const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as {
    seed?: number;
  }[];
  const dropoutSeeds = dropouts.map((l) => l.seed);

  const optimizer = createOptimizer(config.optimizer);
  let history: EpochEvent[] = [];
  let bestWeights: Float32Array[] | undefined;
  let epochsRun = 0;
  let lastCheckpoint = -1;
  let epoch = 0;

  const saveCheckpoint = async (): Promise<void> => {
    if (!opts.checkpoint) return;
    const state: CheckpointState = {
      formatVersion: 1,
      epoch: epochsRun,
      epochs: config.epochs,
      seed: config.seed,
      learningRate: history.at(-1)?.learningRate ?? config.optimizer.learningRate,
      weights: named(model, getWeightsSnapshot(model)),
      optimizer: config.optimizer.name,
      optimizerWeights: await readOptimizerState(optimizer),
      monitor,
      ...(tracker.best !== undefined ? { bestMetric: tracker.best } : {}),
      ...(tracker.bestEpoch !== undefined ? { bestEpoch: tracker.bestEpoch } : {}),
      wait: tracker.wait,
      ...(bestWeights ? { bestWeights: named(model, bestWeights) } : {}),
      history: history.map((e) => ({ ...e, metrics: { ...e.metrics } })),
    };
    await opts.checkpoint.save(state);
    lastCheckpoint = epochsRun;
  };

  try {
    const step: StepContext = {
      model,
      optimizer,
      trainable: model.trainableWeights.map((w) => w.read() as tf.Variable),
      loss,
      regression,
      d,
      k,
      ...(config.clipNorm !== undefined ? { clipNorm: config.clipNorm } : {}),
      ...(config.clipValue !== undefined ? { clipValue: config.clipValue } : {}),
    };

    const resume = opts.resumeFrom;
    if (resume) {
      setWeightsSnapshot(model, checkWeights(model, resume.weights, 'the checkpoint'));
      if (resume.optimizer === config.optimizer.name && resume.optimizerWeights) {
        await writeOptimizerState(optimizer, resume.optimizerWeights);
      } else {
        log(
          `checkpoint optimizer "${resume.optimizer}" differs from "${config.optimizer.name}": optimizer state starts fresh`,
        );
      }
      if (resume.seed !== config.seed)
        log(`checkpoint seed ${resume.seed} differs from ${config.seed}: the run will not repeat exactly`);
      if (resume.monitor === monitor) tracker.restore(resume.bestMetric, resume.bestEpoch, resume.wait);
      if (resume.bestWeights && es?.restoreBestWeights)
        bestWeights = checkWeights(model, resume.bestWeights, 'the checkpoint best');
      history = resume.history.map((e) => ({ ...e, metrics: { ...e.metrics } }));
      epochsRun = resume.epoch;
      lastCheckpoint = resume.epoch;
      log(`resuming after epoch ${resume.epoch}`);
    }

    let stopped = false;
    let stoppedEarly = false;
    let trainedSamples = 0;
    let trainMs = 0;
    for (epoch = epochsRun + 1; epoch <= config.epochs; epoch++) {
      if (opts.shouldStop?.()) {
        stopped = true;
        break;
      }
      const learningRate = learningRateAt(config, epoch);
      setOptimizerLearningRate(optimizer, learningRate);
      const t0 = performance.now();
      const order = seededPermutation(n, config.seed, epoch);
      let lossSum = 0;
      let scoreSum = 0;
      for (let s = 0, start = 0; start < n; s++, start += config.batchSize) {
        const b = Math.min(config.batchSize, n - start);
        dropouts.forEach((layer, j) => (layer.seed = deriveSeed(config.seed, epoch, s, j)));
        const w = sampleWeights ? gatherRows(sampleWeights, 1, order, start, b) : undefined;
        const r = trainStep(step, {
          x: gatherRows(x, d, order, start, b),
          y: gatherRows(y, k, order, start, b),
          b,
          ...(w ? { w } : {}),
        });
        if (!Number.isFinite(r.loss)) {
          throw fail(
            `the loss became ${r.loss} at epoch ${epoch}, step ${s + 1}: lower the learning rate or set clipNorm`,
          );
        }
        lossSum += r.loss * b;
        scoreSum += r.scoreSum;
      }
      const trainPhaseMs = performance.now() - t0;
      const metrics: Record<string, number> = { loss: lossSum / n, [scoreName]: scoreSum / n };
      if (validation) {
        const v = evaluateSet(model, loss, regression, validation, d, k, config.batchSize);
        metrics['val_loss'] = v.loss;
        metrics[`val_${scoreName}`] = v.score;
      }
      const durationMs = performance.now() - t0;
      const event: EpochEvent = {
        epoch,
        epochs: config.epochs,
        metrics,
        durationMs,
        samplesPerSec: trainPhaseMs > 0 ? (n * 1000) / trainPhaseMs : 0,
        learningRate,
      };
      history.push(event);
      epochsRun = epoch;
      trainedSamples += n;
      trainMs += trainPhaseMs;
      const improved = tracker.update(epoch, metrics[monitor] ?? NaN);
      if (improved && es?.restoreBestWeights) bestWeights = getWeightsSnapshot(model);
      await opts.onEpoch?.(event);
      if (checkpointEvery > 0 && epoch % checkpointEvery === 0) await saveCheckpoint();
      if (es && tracker.shouldStop) {
        stoppedEarly = true;
        log(`early stopping after epoch ${epoch}: ${monitor} has not improved for ${es.patience} epochs`);
        break;
      }
    }
    if (stopped && lastCheckpoint !== epochsRun) await saveCheckpoint();
    if (!stopped && bestWeights && tracker.bestEpoch !== undefined && tracker.bestEpoch !== epochsRun) {
      setWeightsSnapshot(model, bestWeights);
      log(`restored the weights of epoch ${tracker.bestEpoch}`);
    }
    return {
      history,
      bestEpoch: tracker.bestEpoch ?? 0,
      stoppedEarly,
      stopped,
      epochsRun,
      samplesPerSec: trainMs > 0 ? (trainedSamples * 1000) / trainMs : 0,
    };
  } catch (e) {
    if (e instanceof MyelinError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const when = epoch > 0 ? `in epoch ${epoch}` : 'before the first epoch';
    throw new MyelinError('MYELIN_ERR_TRAIN', `training failed ${when}: ${message}`, undefined, { cause: e });
  } finally {
    disposeOptimizer(optimizer);
    dropouts.forEach((layer, j) => (layer.seed = dropoutSeeds[j]));
  }
}
