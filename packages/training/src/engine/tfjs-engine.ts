import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import { buildTfjsModel } from '../model/build-model.js';
import { deriveSeed } from '../model/derive-seed.js';
import { fromTfjsLayout, toTfjsLayout } from '../model/model-weights.js';
import { readLayerWeights, writeLayerWeights } from '../model/tfjs-model.js';
import { createOptimizer, disposeOptimizer, setOptimizerLearningRate } from '../train/create-optimizer.js';
import { evaluateSet } from '../train/evaluate-set.js';
import { gatherRows } from '../train/gather-rows.js';
import { readOptimizerState, writeOptimizerState } from '../train/optimizer-state.js';
import { predictBatches } from '../train/predict-batches.js';
import { seededPermutation } from '../train/seeded-permutation.js';
import { trainStep, type StepContext } from '../train/train-step.js';
import type { BackendInfo } from './backend-info.js';
import { selectBackend } from './select-backend.js';
import type {
  EngineInfo,
  EpochStats,
  OptimizerSnapshot,
  SessionOptions,
  TrainingEngine,
  TrainingSession,
} from './training-engine.js';

/**
 * A session of the tfjs engine: the plan built as a tfjs layers model on the selected backend,
 * one `trainStep` (a `tf.tidy` with `tf.variableGrads`) per batch, batches gathered in JS in
 * `seededPermutation` order, dropout seeded by (seed, epoch, step, layer).
 */
class TfjsSession implements TrainingSession {
  private readonly model: tf.LayersModel;
  private optimizer: tf.Optimizer;
  private readonly step: StepContext;
  /** The dropout layers, whose (private) `seed` the session sets before every step. */
  private readonly dropouts: tf.layers.Layer[];

  constructor(private readonly opts: SessionOptions) {
    this.model = buildTfjsModel(opts.plan, opts.seed);
    writeLayerWeights(this.model, toTfjsLayout(opts.plan, opts.weights));
    this.optimizer = createOptimizer(opts.optimizer);
    this.dropouts = this.model.layers.filter((l) => l.getClassName() === 'Dropout');
    const d = opts.train.x.length / opts.train.n;
    this.step = {
      model: this.model,
      optimizer: this.optimizer,
      trainable: this.model.trainableWeights.map((w) => w.read() as tf.Variable),
      loss: opts.plan.loss,
      regression: opts.plan.task === 'regression',
      d,
      k: opts.plan.outputs,
      ...(opts.clipNorm !== undefined ? { clipNorm: opts.clipNorm } : {}),
      ...(opts.clipValue !== undefined ? { clipValue: opts.clipValue } : {}),
    };
  }

  async runEpoch(epoch: number, learningRate: number): Promise<EpochStats> {
    const { train, batchSize, seed, validation } = this.opts;
    const { d, k } = this.step;
    setOptimizerLearningRate(this.optimizer, learningRate);
    const t0 = performance.now();
    const order = seededPermutation(train.n, seed, epoch);
    let lossSum = 0;
    let scoreSum = 0;
    for (let s = 0, start = 0; start < train.n; s++, start += batchSize) {
      const b = Math.min(batchSize, train.n - start);
      this.dropouts.forEach((layer, j) => Reflect.set(layer, 'seed', deriveSeed(seed, epoch, s, j)));
      const w = train.w ? gatherRows(train.w, 1, order, start, b) : undefined;
      const r = trainStep(this.step, {
        x: gatherRows(train.x, d, order, start, b),
        y: gatherRows(train.y, k, order, start, b),
        b,
        ...(w ? { w } : {}),
      });
      if (!Number.isFinite(r.loss)) throw nonFinite(r.loss, epoch, s + 1);
      lossSum += r.loss * b;
      scoreSum += r.scoreSum;
    }
    const trainMs = performance.now() - t0;
    const stats: EpochStats = { loss: lossSum / train.n, score: scoreSum / train.n, trainMs };
    if (validation && validation.n > 0) {
      const v = evaluateSet(this.model, this.step.loss, this.step.regression, validation, d, k, batchSize);
      stats.valLoss = v.loss;
      stats.valScore = v.score;
    }
    return stats;
  }

  async getWeights() {
    return fromTfjsLayout(this.opts.plan, readLayerWeights(this.model));
  }

  async setWeights(weights: SessionOptions['weights']): Promise<void> {
    writeLayerWeights(this.model, toTfjsLayout(this.opts.plan, weights));
  }

  async getOptimizerState(): Promise<OptimizerSnapshot> {
    return { engine: 'tfjs', slots: await readOptimizerState(this.optimizer) };
  }

  async setOptimizerState(state: OptimizerSnapshot): Promise<void> {
    await writeOptimizerState(this.optimizer, state.slots);
  }

  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    return predictBatches(this.model, x, n, this.step.d, 256);
  }

  dispose(): void {
    disposeOptimizer(this.optimizer);
    this.model.dispose();
  }
}

/** The error of a loss that stopped being finite, the same on every engine. */
export function nonFinite(loss: number, epoch: number, step: number): MyelinError {
  return new MyelinError(
    'MYELIN_ERR_TRAIN',
    `the loss became ${loss} at epoch ${epoch}, step ${step}: lower the learning rate or set clipNorm`,
  );
}

/** The tfjs engine on a backend `selectBackend` chose. */
export function tfjsEngine(backend: BackendInfo, reason: string[] = []): TrainingEngine {
  const info: EngineInfo = {
    engine: 'tfjs',
    version: `tfjs ${tf.version.tfjs}`,
    device: backend.name,
    threads: 1,
    gpu: backend.gpu,
    backend: backend.name,
    reason: [...reason, ...backend.reason],
  };
  return {
    info,
    async open(opts) {
      if (tf.getBackend() !== backend.tfBackend) await tf.setBackend(backend.tfBackend);
      return new TfjsSession(opts);
    },
  };
}

/** Selects the tfjs backend (see `selectBackend`) and returns the tfjs engine on it. */
export async function openTfjsEngine(opts: {
  requireGpu?: boolean;
  log?: (m: string) => void;
  reason?: string[];
}): Promise<TrainingEngine> {
  const backend = await selectBackend({
    ...(opts.requireGpu ? { requireGpu: true } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  return tfjsEngine(backend, opts.reason);
}
