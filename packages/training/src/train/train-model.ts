import { MyelinError } from '@myelin/errors';
import type { TrainingSession } from '../engine/training-engine.js';
import { metricDirection } from '../metrics/index.js';
import type { ModelDefinition } from '../model/model-file.js';
import { checkWeights } from '../model/model-weights.js';
import { planInputWidth } from '../model/model-plan.js';
import type { CheckpointState } from './checkpoint-state.js';
import { sampleWeightsFor } from './class-weights.js';
import { learningRateAt } from './learning-rate-at.js';
import { MetricTracker } from './metric-tracker.js';
import type { TrainConfig } from './train-config.js';
import type { EpochEvent, TrainOptions, TrainResult } from './train-types.js';

const fail = (detail: string): MyelinError => new MyelinError('MYELIN_ERR_TRAIN', detail);

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
  const { plan } = opts.model;
  const inWidth = planInputWidth(plan);
  if (inWidth !== d) throw fail(`the model takes rows of ${inWidth} values, the data has ${d}`);
  if (plan.outputs !== k)
    throw fail(`the model outputs ${plan.outputs} values per row, the targets have ${k}`);
  const v = opts.validation;
  if (v && (v.x.length !== v.n * d || v.y.length !== v.n * k)) {
    throw fail(
      `validation set of ${v.n} rows needs ${v.n * d} x values and ${v.n * k} y values, got ${v.x.length} and ${v.y.length}`,
    );
  }
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

/**
 * Trains a model on rows held in JS memory on a training engine (torch or tfjs, see
 * `selectEngine`), with one loop for every engine: the engine's session runs whole epochs
 * (shuffle, batches, forward, loss, backward, clipping, optimizer step, validation); this loop
 * owns the learning-rate schedule, early stopping, best weights, checkpoints, resume and events.
 *
 * - Epoch e visits the rows in an order seeded by (seed, e) and draws dropout masks seeded by
 *   (seed, e): two runs with the same seed, data, engine and device give identical histories
 *   and weights, and a resumed run repeats the uninterrupted one exactly.
 * - The learning rate follows `learningRateAt` and is set before each epoch.
 * - The monitored metric is `earlyStopping.monitor`, or `val_loss` (`loss` without validation);
 *   a `val_*` monitor without a validation set falls back to the training metric (logged).
 *   Early stopping ends the run after `patience` epochs without an improvement > `minDelta`.
 *   With `restoreBestWeights`, the best epoch's weights are put back when the run ends by early
 *   stopping or by running out of epochs (not when `shouldStop` interrupts it).
 * - Checkpoints are saved after every `checkpoint.every` (default `config.checkpointEvery`)
 *   epochs, each with the history up to its epoch; `shouldStop()` is asked before each epoch
 *   and, when true, a checkpoint of the last completed epoch is saved (unless just saved) and
 *   the run returns with `stopped: true`.
 * - `resumeFrom` restores weights, optimizer state (when it comes from the same engine and
 *   optimizer), early-stopping state and history, and goes on with epoch + 1.
 * - A non-finite loss stops the run with `MYELIN_ERR_TRAIN` naming the epoch and step; any
 *   other failure (including from `onEpoch` or `checkpoint.save`) is rethrown as
 *   `MYELIN_ERR_TRAIN` with the cause attached. The session is closed either way.
 *
 * @example
 * const engine = await selectEngine();
 * const result = await trainModel({ engine, model: initialModel({ layers, task: 'binary', inputShape: [4], seed: 7 }),
 *   x, y, xShape: [n, 4], yShape: [n, 1], task: 'binary', config, onEpoch: (e) => console.log(e.epoch, e.metrics) });
 * result.model; // the trained weights, canonical
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  checkInputs(opts);
  const { engine, x, y, config, task } = opts;
  const log = opts.log ?? ((): void => undefined);
  const [n] = opts.xShape;
  const k = opts.yShape[1];
  const regression = task === 'regression';
  const validation = opts.validation && opts.validation.n > 0 ? opts.validation : undefined;
  const monitor = monitorOf(config, validation !== undefined, regression, log);
  const es = config.earlyStopping;
  const tracker = new MetricTracker(metricDirection(monitor), es?.minDelta ?? 0, es ? es.patience : Infinity);
  if (regression && config.classWeights) log('classWeights ignored: the task is regression');
  const sampleWeights = regression ? undefined : sampleWeightsFor(config.classWeights, y, n, k);
  const scoreName = regression ? 'mae' : 'accuracy';
  const checkpointEvery = opts.checkpoint?.every ?? config.checkpointEvery;
  const { plan } = opts.model;

  let history: EpochEvent[] = [];
  let bestWeights: ModelDefinition['weights'] | undefined;
  let epochsRun = 0;
  let lastCheckpoint = -1;
  let epoch = 0;
  let session: TrainingSession | undefined;

  const saveCheckpoint = async (s: TrainingSession): Promise<void> => {
    if (!opts.checkpoint) return;
    const optimizerState = await s.getOptimizerState();
    const state: CheckpointState = {
      formatVersion: 2,
      engine: engine.info.engine,
      epoch: epochsRun,
      epochs: config.epochs,
      seed: config.seed,
      learningRate: history.at(-1)?.learningRate ?? config.optimizer.learningRate,
      weights: await s.getWeights(),
      optimizer: config.optimizer.name,
      optimizerWeights: optimizerState.slots,
      monitor,
      ...(tracker.best !== undefined ? { bestMetric: tracker.best } : {}),
      ...(tracker.bestEpoch !== undefined ? { bestEpoch: tracker.bestEpoch } : {}),
      wait: tracker.wait,
      ...(bestWeights ? { bestWeights } : {}),
      history: history.map((e) => ({ ...e, metrics: { ...e.metrics } })),
    };
    await opts.checkpoint.save(state);
    lastCheckpoint = epochsRun;
  };

  try {
    session = await engine.open({
      plan,
      weights: opts.model.weights,
      train: { x, y, n, ...(sampleWeights ? { w: sampleWeights } : {}) },
      ...(validation ? { validation } : {}),
      optimizer: config.optimizer,
      batchSize: config.batchSize,
      seed: config.seed,
      ...(config.clipNorm !== undefined ? { clipNorm: config.clipNorm } : {}),
      ...(config.clipValue !== undefined ? { clipValue: config.clipValue } : {}),
    });

    const resume = opts.resumeFrom;
    if (resume) {
      await session.setWeights(resume.weights);
      if (resume.optimizer !== config.optimizer.name) {
        log(
          `checkpoint optimizer "${resume.optimizer}" differs from "${config.optimizer.name}": optimizer state starts fresh`,
        );
      } else if (resume.engine !== engine.info.engine) {
        log(
          `checkpoint from the ${resume.engine} engine: the weights carry over, the optimizer state starts fresh`,
        );
      } else if (resume.optimizerWeights) {
        await session.setOptimizerState({ engine: resume.engine, slots: resume.optimizerWeights });
      }
      if (resume.seed !== config.seed)
        log(`checkpoint seed ${resume.seed} differs from ${config.seed}: the run will not repeat exactly`);
      if (resume.monitor === monitor) tracker.restore(resume.bestMetric, resume.bestEpoch, resume.wait);
      if (resume.bestWeights && es?.restoreBestWeights) {
        checkWeights(plan, resume.bestWeights, 'the checkpoint best');
        bestWeights = resume.bestWeights;
      }
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
      const t0 = performance.now();
      const stats = await session.runEpoch(epoch, learningRate);
      const metrics: Record<string, number> = { loss: stats.loss, [scoreName]: stats.score };
      if (stats.valLoss !== undefined) metrics['val_loss'] = stats.valLoss;
      if (stats.valScore !== undefined) metrics[`val_${scoreName}`] = stats.valScore;
      const event: EpochEvent = {
        epoch,
        epochs: config.epochs,
        metrics,
        durationMs: performance.now() - t0,
        samplesPerSec: stats.trainMs > 0 ? (n * 1000) / stats.trainMs : 0,
        learningRate,
      };
      history.push(event);
      epochsRun = epoch;
      trainedSamples += n;
      trainMs += stats.trainMs;
      const improved = tracker.update(epoch, metrics[monitor] ?? NaN);
      if (improved && es?.restoreBestWeights) bestWeights = await session.getWeights();
      await opts.onEpoch?.(event);
      if (checkpointEvery > 0 && epoch % checkpointEvery === 0) await saveCheckpoint(session);
      if (es && tracker.shouldStop) {
        stoppedEarly = true;
        log(`early stopping after epoch ${epoch}: ${monitor} has not improved for ${es.patience} epochs`);
        break;
      }
    }
    if (stopped && lastCheckpoint !== epochsRun) await saveCheckpoint(session);
    let restoredEpoch: number | undefined;
    if (!stopped && bestWeights && tracker.bestEpoch !== undefined && tracker.bestEpoch !== epochsRun) {
      await session.setWeights(bestWeights);
      restoredEpoch = tracker.bestEpoch;
      log(`restored the weights of epoch ${tracker.bestEpoch} (the best ${monitor})`);
    }
    return {
      model: { plan, weights: await session.getWeights() },
      engine: engine.info,
      history,
      bestEpoch: tracker.bestEpoch ?? 0,
      ...(restoredEpoch !== undefined ? { restoredEpoch } : {}),
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
    session?.dispose();
  }
}
