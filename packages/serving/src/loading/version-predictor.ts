import { decodeModelFile, loadTorchAddon, predictBatches, torchOptimizer } from '@myelin/training';
import type * as tf from '@tensorflow/tfjs';
import { denseChain } from './dense-chain.js';

/** Which engine predicts for a served version. */
/** What can predict for a served version (`ServeOptions.engine`, `myelin serve --engine`). */
export const PREDICT_ENGINES = ['tfjs', 'torch'] as const;
export type PredictEngine = (typeof PREDICT_ENGINES)[number];

/**
 * How a served version runs its model on `n` row-major rows (`n × outputWidth` values back): the
 * tfjs model on the main thread, or the torch addon off it (one call at a time, in order).
 */
export interface VersionPredictor {
  engine: PredictEngine;
  predict(x: Float32Array, n: number, batchSize: number): Float32Array | Promise<Float32Array>;
  dispose(): void;
}

/** Largest difference from the tfjs model's outputs the torch predictor may show on the probe rows. */
export const TORCH_PARITY_TOLERANCE = 1e-5;

/** The tfjs model as a predictor: its dense chain run op by op when it is one, else the layers API. */
export function tfjsPredictor(model: tf.LayersModel, inputWidth: number): VersionPredictor {
  const chain = denseChain(model, inputWidth);
  return {
    engine: 'tfjs',
    predict: chain
      ? (x, n, batchSize) => chain.predict(x, n, batchSize)
      : (x, n, batchSize) => predictBatches(model, x, n, inputWidth, batchSize),
    dispose: () => {
      chain?.dispose();
      model.dispose();
    },
  };
}

/** `n` deterministic rows of `d` values in [-3, 3] (standardised and one-hot inputs live there). */
function probeRows(n: number, d: number): Float32Array {
  const x = new Float32Array(n * d);
  let s = 0x9e3779b9;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = (s / 2 ** 32) * 6 - 3;
  }
  return x;
}

/**
 * The torch addon as the version's predictor, when it can stand in for the tfjs model: the addon
 * loads, the engine-neutral model file (plan and weights) opens in it, and on probe rows it gives
 * the tfjs model's outputs within `TORCH_PARITY_TOLERANCE`. Otherwise null, with the reason
 * (the caller serves with tfjs). The tfjs model stays loaded beside it (metadata, exports).
 */
export async function torchPredictor(
  modelFile: Uint8Array,
  tfjs: VersionPredictor,
  inputWidth: number,
): Promise<{ predictor: VersionPredictor } | { why: string }> {
  const loaded = loadTorchAddon();
  if (!loaded.ok) return { why: loaded.why };
  let def: ReturnType<typeof decodeModelFile>;
  try {
    def = decodeModelFile(modelFile);
  } catch (e) {
    return { why: `the model file does not open: ${e instanceof Error ? e.message : String(e)}` };
  }
  let session: InstanceType<typeof loaded.addon.Session>;
  try {
    session = new loaded.addon.Session({
      inputShape: def.plan.inputShape,
      layers: def.plan.layers,
      loss: def.plan.loss,
      regression: def.plan.task === 'regression',
      // never stepped: predict only
      optimizer: torchOptimizer({ name: 'sgd', learningRate: 0 }),
      clipNorm: 0,
      clipValue: 0,
      device: 'cpu',
      state: def.weights,
    });
  } catch (e) {
    return { why: `the addon cannot build the model: ${e instanceof Error ? e.message : String(e)}` };
  }
  const n = 64;
  const x = probeRows(n, inputWidth);
  let diff = Infinity;
  try {
    const want = await tfjs.predict(x, n, n);
    const got = await session.predict(x, n, n);
    if (got.length === want.length) {
      diff = 0;
      for (let i = 0; i < got.length; i++)
        diff = Math.max(diff, Math.abs((got[i] as number) - (want[i] as number)));
    }
  } catch (e) {
    session.dispose();
    return { why: `the addon failed to predict: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!(diff <= TORCH_PARITY_TOLERANCE)) {
    session.dispose();
    return {
      why: `its outputs differ from the tfjs model's by ${diff} (more than ${TORCH_PARITY_TOLERANCE})`,
    };
  }
  // the native session takes one call at a time: each waits for the one before
  let last: Promise<unknown> = Promise.resolve();
  return {
    predictor: {
      engine: 'torch',
      predict(rows, count, batchSize) {
        const run = last.then(() => session.predict(rows, count, batchSize));
        last = run.catch(() => undefined);
        return run;
      },
      dispose() {
        void last.then(() => session.dispose());
        tfjs.dispose();
      },
    },
  };
}
