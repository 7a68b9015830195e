import { MyelinError } from '@myelin/errors';
import type { TrainConfig } from './train-config.js';

/**
 * The class of each training row: for one target column (binary) 1 when y ≥ 0.5, else 0; for
 * several columns (one-hot) the arg-max.
 */
export function rowClasses(y: Float32Array, n: number, k: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (k === 1) {
      out[i] = (y[i] as number) >= 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < k; c++) if ((y[i * k + c] as number) > (y[i * k + best] as number)) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Per-sample loss weights from `train.classWeights`:
 * - `balanced`: class c weighs n / (K · count_c), K = number of classes (2 for one binary column);
 * - a map: keys are class indices (the caller maps labels to indices first), values weights;
 *   classes left out weigh 1.
 * Returns `undefined` when no class weights are set. Throws `MYELIN_ERR_SPEC_INVALID` for a key
 * that is not a class index or a weight that is not a finite number ≥ 0.
 *
 * @example
 * // y = [0, 0, 0, 1] (binary): balanced → class 0: 4/(2·3) = 0.667, class 1: 4/(2·1) = 2
 * sampleWeightsFor('balanced', new Float32Array([0, 0, 0, 1]), 4, 1); // [0.667, 0.667, 0.667, 2]
 */
export function sampleWeightsFor(
  classWeights: TrainConfig['classWeights'],
  y: Float32Array,
  n: number,
  k: number,
): Float32Array | undefined {
  if (classWeights === undefined) return undefined;
  const numClasses = k === 1 ? 2 : k;
  const classes = rowClasses(y, n, k);
  const perClass = new Float64Array(numClasses).fill(1);
  if (classWeights === 'balanced') {
    const counts = new Float64Array(numClasses);
    for (const c of classes) counts[c] = (counts[c] as number) + 1;
    for (let c = 0; c < numClasses; c++) {
      const count = counts[c] as number;
      perClass[c] = count === 0 ? 0 : n / (numClasses * count);
    }
  } else {
    for (const [key, weight] of Object.entries(classWeights)) {
      const c = Number(key);
      if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
        throw new MyelinError(
          'MYELIN_ERR_SPEC_INVALID',
          `class weight key "${key}" is not a class index in [0, ${numClasses})`,
          {
            path: `train.classWeights.${key}`,
          },
        );
      }
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        throw new MyelinError(
          'MYELIN_ERR_SPEC_INVALID',
          `class weight must be a finite number ≥ 0, got ${String(weight)}`,
          {
            path: `train.classWeights.${key}`,
          },
        );
      }
      perClass[c] = weight;
    }
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = perClass[classes[i] as number] as number;
  return out;
}
