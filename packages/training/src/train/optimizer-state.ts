import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from './checkpoint-state.js';
import { optimizerField } from './optimizer-fields.js';

/**
 * Names under which the bias-correction products of adam-like optimizers (β1^(t+1), β2^(t+1))
 * are stored. tfjs's `setWeights` recomputes them with `pow`, which differs in the last bits
 * from the running product a live optimizer holds; storing them keeps a resumed run exact.
 */
const EXTRA_SLOTS = ['accBeta1', 'accBeta2'] as const;
const EXTRA_PREFIX = 'myelin:';

function toNamedArray(name: string, tensor: tf.Tensor): NamedArray {
  return {
    name,
    shape: [...tensor.shape],
    dtype: tensor.dtype === 'int32' ? 'int32' : 'float32',
    data: Float32Array.from(tensor.dataSync()),
  };
}

/**
 * Copies an optimizer's state into plain arrays: `optimizer.getWeights()` (the iteration count
 * `iter`, then its slots such as adam's moments), followed for adam by its bias-correction
 * products under `myelin:accBeta1` / `myelin:accBeta2`. Tensors made for the copy are
 * disposed; the optimizer's own variables are left alone.
 */
export async function readOptimizerState(optimizer: tf.Optimizer): Promise<NamedArray[]> {
  const named = await optimizer.getWeights();
  try {
    const out = named.map(({ name, tensor }) => toNamedArray(name, tensor));
    for (const slot of EXTRA_SLOTS) {
      const v = optimizerField(optimizer, slot);
      if (v instanceof tf.Variable && !v.isDisposed) out.push(toNamedArray(EXTRA_PREFIX + slot, v));
    }
    return out;
  } finally {
    tf.dispose(named.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  }
}

/**
 * Restores state read by `readOptimizerState` into a fresh optimizer of the same kind (same
 * model variables in the same order). The optimizer makes its own variables from the values.
 */
export async function writeOptimizerState(
  optimizer: tf.Optimizer,
  state: readonly NamedArray[],
): Promise<void> {
  const toTensor = (w: NamedArray): tf.Tensor =>
    w.dtype === 'int32'
      ? tf.tensor(Int32Array.from(w.data), w.shape, 'int32')
      : tf.tensor(w.data.slice(), w.shape, 'float32');
  const weights = state.filter((w) => !w.name.startsWith(EXTRA_PREFIX));
  const tensors = weights.map(toTensor);
  try {
    await optimizer.setWeights(weights.map((w, i) => ({ name: w.name, tensor: tensors[i] as tf.Tensor })));
  } finally {
    tf.dispose(tensors);
  }
  for (const w of state.filter((s) => s.name.startsWith(EXTRA_PREFIX))) {
    const slot = EXTRA_SLOTS.find((x) => EXTRA_PREFIX + x === w.name);
    const v = slot ? optimizerField(optimizer, slot) : undefined;
    if (v instanceof tf.Variable && v.size === w.data.length) {
      tf.tidy(() => v.assign(toTensor(w)));
    }
  }
}
