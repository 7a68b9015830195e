import { MyelinError } from '@myelin/errors';
import { deriveSeed } from '../model/derive-seed.js';
import { checkWeights } from '../model/model-weights.js';
import type { OptimizerConfig } from '../train/train-config.js';
import { nonFinite } from './tfjs-engine.js';
import type { TorchAddon, TorchNativeSession, TorchOptimizerInit } from './torch-addon.js';
import type {
  EngineInfo,
  EpochStats,
  OptimizerSnapshot,
  SessionOptions,
  TrainingEngine,
  TrainingSession,
} from './training-engine.js';

/** The name under which the optimizer's step count travels in a snapshot's slots. */
const ITERATIONS = 'iterations';

/** tfjs's hyper-parameters for each optimizer (see `createOptimizer`). */
export function torchOptimizer(config: OptimizerConfig): TorchOptimizerInit {
  const momentum =
    config.name === 'momentum'
      ? (config.momentum ?? 0.9)
      : config.name === 'rmsprop'
        ? (config.momentum ?? 0)
        : 0;
  return {
    name: config.name,
    learningRate: config.learningRate,
    momentum,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    decay: 0.9,
  };
}

/** A native failure as Myelin's error: out-of-memory gets its own advice. */
function nativeError(e: unknown, when: string): MyelinError {
  const message = e instanceof Error ? e.message : String(e);
  if (/can't allocate memory|out of memory|CUDA error: out of memory|bad_alloc/i.test(message)) {
    return new MyelinError(
      'MYELIN_ERR_TRAIN',
      `out of memory ${when}: ${message.split('\n')[0]}; lower train.batchSize or the layer sizes`,
      { path: 'train.batchSize' },
      { cause: e },
    );
  }
  return new MyelinError(
    'MYELIN_ERR_TRAIN',
    `the torch engine failed ${when}: ${message.split('\n')[0]}`,
    undefined,
    {
      cause: e,
    },
  );
}

/** A session of the torch engine: the whole epoch runs in the addon, off the main thread. */
class TorchSession implements TrainingSession {
  constructor(
    private readonly native: TorchNativeSession,
    private readonly opts: SessionOptions,
  ) {}

  async runEpoch(epoch: number, learningRate: number): Promise<EpochStats> {
    let r;
    try {
      r = await this.native.runEpoch({
        epoch,
        batchSize: this.opts.batchSize,
        learningRate,
        shuffleSeed: deriveSeed(this.opts.seed, 0x5eed, epoch),
        dropoutSeed: deriveSeed(this.opts.seed, epoch),
      });
    } catch (e) {
      throw nativeError(e, `in epoch ${epoch}`);
    }
    if (r.nonFiniteStep !== undefined) throw nonFinite(r.nonFiniteValue ?? NaN, epoch, r.nonFiniteStep);
    const stats: EpochStats = { loss: r.loss, score: r.score, trainMs: r.trainMs };
    if (r.valLoss !== undefined) stats.valLoss = r.valLoss;
    if (r.valScore !== undefined) stats.valScore = r.valScore;
    return stats;
  }

  async getWeights() {
    return this.native.getState();
  }

  async setWeights(weights: SessionOptions['weights']): Promise<void> {
    checkWeights(this.opts.plan, weights, 'the weights');
    this.native.setState(weights);
  }

  async getOptimizerState(): Promise<OptimizerSnapshot> {
    const s = this.native.getOptimizerState();
    return {
      engine: 'torch',
      slots: [
        { name: ITERATIONS, shape: [], dtype: 'int32', data: new Float32Array([s.iterations]) },
        ...s.slots,
      ],
    };
  }

  async setOptimizerState(state: OptimizerSnapshot): Promise<void> {
    const [head, ...slots] = state.slots;
    if (state.engine !== 'torch' || head?.name !== ITERATIONS) {
      throw new MyelinError(
        'MYELIN_ERR_TRAIN',
        `optimizer state of the ${state.engine} engine cannot resume on torch`,
      );
    }
    this.native.setOptimizerState({ iterations: head.data[0] ?? 0, slots });
  }

  async predict(x: Float32Array, n: number): Promise<Float32Array> {
    try {
      return await this.native.predict(x, n, 256);
    } catch (e) {
      throw nativeError(e, 'predicting');
    }
  }

  dispose(): void {
    this.native.dispose();
  }
}

/** The torch engine over a loaded addon, on `device` (`cpu` or `cuda:N`) with `threads` intra-op threads. */
export function torchEngine(addon: TorchAddon, device: string, reason: string[] = []): TrainingEngine {
  const info = addon.info();
  const engineInfo: EngineInfo = {
    engine: 'torch',
    version: `libtorch ${info.torchVersion}`,
    device,
    threads: info.threads,
    gpu: device.startsWith('cuda'),
    reason,
  };
  return {
    info: engineInfo,
    async open(opts) {
      const { plan } = opts;
      checkWeights(plan, opts.weights, 'the initial weights');
      // what the steps before freed (their buffers, a finished worker's arena) goes back to the
      // system before the session allocates: else it stays resident beside libtorch's memory
      addon.trimHeap?.();
      let native: TorchNativeSession | undefined;
      try {
        native = new addon.Session({
          inputShape: plan.inputShape,
          layers: plan.layers,
          loss: plan.loss,
          regression: plan.task === 'regression',
          optimizer: torchOptimizer(opts.optimizer),
          clipNorm: opts.clipNorm ?? 0,
          clipValue: opts.clipValue ?? 0,
          device,
          state: opts.weights,
        });
        native.setTrainingData(opts.train.x, opts.train.y, opts.train.n, opts.train.w);
        if (opts.validation && opts.validation.n > 0) {
          native.setValidationData(opts.validation.x, opts.validation.y, opts.validation.n);
        }
      } catch (e) {
        native?.dispose();
        throw nativeError(e, 'opening the session');
      }
      return new TorchSession(native, opts);
    },
  };
}
