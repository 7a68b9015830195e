import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';

/** One dense layer as tfjs-layers' `Dense.call` runs it in inference. */
interface DenseStep {
  /** The kernel `[in, out]` as the `[1, in, out]` batch the `_FusedMatMul` kernel takes (a view). */
  kernel: tf.Tensor;
  bias: tf.Tensor | null;
  /** The activation the `_FusedMatMul` kernel applies (tfjs-layers fuses relu, linear and elu). */
  fused: Fused | null;
  /** The activation applied after the bias when it is not fused. */
  after: After | null;
}

/** An activation kernel: its name, the name of its input, its attributes. */
interface After {
  kernel: string;
  input: string;
  attrs: tf.NamedAttrMap;
}

/** What `denseChain` gives: the model's outputs for `n` rows, and the release of its own tensors. */
export interface DenseChain {
  predict(x: Float32Array, n: number, batchSize: number): Float32Array;
  dispose(): void;
}

type Fused = 'relu' | 'linear' | 'elu';
const isFused = (a: string): a is Fused => a === 'relu' || a === 'linear' || a === 'elu';
/**
 * The unfused activations and the kernel each runs in tfjs-layers (`Softmax` along the last axis
 * of the `[1, rows, units]` output, `Sigmoid`, `Tanh`).
 */
const AFTER: Record<string, After> = {
  softmax: { kernel: tf.Softmax, input: 'logits', attrs: { dim: 2 } },
  sigmoid: { kernel: tf.Sigmoid, input: 'x', attrs: {} },
  tanh: { kernel: tf.Tanh, input: 'x', attrs: {} },
};

/** One kernel call through the engine (tracked by the surrounding `tf.tidy`). */
function run(kernel: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor {
  const out = tf.engine().runKernel(kernel, inputs, attrs);
  if (Array.isArray(out)) throw new MyelinError('MYELIN_ERR_INTERNAL', `${kernel} gave several outputs`);
  return out;
}

/**
 * A `Sequential` model of dense layers (dropout and the input layer are the identity in
 * inference) as the plain chain of kernels `Dense.call` ends up running — `_FusedMatMul` with the
 * bias and a fusable activation, else `_FusedMatMul`, `Add` of the bias, the activation's kernel —
 * called on the engine directly, without the layers API's and the ops' per-call work (name
 * scopes, symbolic checks, per-layer tidies, gradient wrappers, the reshapes to and from the
 * batch-of-one shape the matmul kernel takes). The same kernels on the same values, so the same
 * outputs bit for bit, sliced into batches as `predictBatches` feeds them. Null for any other
 * model (it keeps running through `predictBatches`). Its `dispose` releases the kernel views it
 * made (the model's weights stay the model's).
 */
export function denseChain(model: tf.LayersModel, inputWidth: number): DenseChain | null {
  if (model.getClassName() !== 'Sequential') return null;
  const steps: DenseStep[] = [];
  let width = inputWidth;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || cls === 'Dropout') continue;
    if (cls !== 'Dense') return release(steps);
    const config = layer.getConfig();
    const activation = typeof config.activation === 'string' ? config.activation : 'linear';
    const [kernel, bias] = layer.getWeights();
    if (!kernel || kernel.rank !== 2 || kernel.shape[0] !== width) return release(steps);
    const fused = isFused(activation) ? activation : null;
    const after = fused ? null : (AFTER[activation] ?? null);
    if (!fused && !after) return release(steps);
    const units = kernel.shape[1] as number;
    steps.push({
      kernel: tf.reshape(kernel, [1, width, units]),
      bias: config.useBias === false ? null : (bias ?? null),
      fused,
      after,
    });
    width = units;
  }
  if (steps.length === 0) return null;
  const k = width;
  const predict = (x: Float32Array, n: number, batchSize: number): Float32Array => {
    const out = new Float32Array(n * k);
    for (let start = 0; start < n; start += batchSize) {
      const b = Math.min(batchSize, n - start);
      tf.tidy(() => {
        let h: tf.Tensor = tf.tensor3d(x.subarray(start * inputWidth, (start + b) * inputWidth), [
          1,
          b,
          inputWidth,
        ]);
        for (const s of steps) {
          const inputs: tf.NamedTensorMap = { a: h, b: s.kernel };
          if (s.fused && s.bias) inputs.bias = s.bias;
          h = run(tf._FusedMatMul, inputs, {
            transposeA: false,
            transposeB: false,
            activation: s.fused ?? 'linear',
            leakyreluAlpha: 0.2,
          });
          if (s.after) {
            if (s.bias) h = run(tf.Add, { a: h, b: s.bias });
            h = run(s.after.kernel, { [s.after.input]: h }, s.after.attrs);
          }
        }
        out.set(h.dataSync(), start * k);
      });
    }
    return out;
  };
  return { predict, dispose: () => release(steps) };
}

/** Disposes the kernel views made so far; null, for a model the chain declines. */
function release(steps: DenseStep[]): null {
  for (const s of steps) s.kernel.dispose();
  return null;
}
