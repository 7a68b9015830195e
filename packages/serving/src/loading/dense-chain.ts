import * as tf from '@tensorflow/tfjs';

/** One dense layer as tfjs-layers' `Dense.call` runs it in inference. */
interface DenseStep {
  kernel: tf.Tensor;
  bias: tf.Tensor | null;
  /** The activation `tf.fused.matMul` applies (tfjs-layers fuses relu, linear and elu). */
  fused: Fused | null;
  /** The activation applied after the bias when it is not fused. */
  after: ((x: tf.Tensor) => tf.Tensor) | null;
}

type Fused = 'relu' | 'linear' | 'elu';
const isFused = (a: string): a is Fused => a === 'relu' || a === 'linear' || a === 'elu';
/** The unfused activations tfjs-layers applies with these same ops (`Softmax`, `Sigmoid`, `Tanh`). */
const AFTER: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  softmax: (x) => tf.softmax(x, -1),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
};

/**
 * A `Sequential` model of dense layers (dropout and the input layer are the identity in
 * inference) as a plain chain of the ops `Dense.call` runs — `fused.matMul` with the bias and a
 * fusable activation, else matMul, bias add, activation — without the layers API's per-call work
 * (name scopes, symbolic checks, per-layer tidies). The same kernels on the same values, so the
 * same outputs bit for bit, sliced into batches as `predictBatches` feeds them. Null for any
 * other model (it keeps running through `predictBatches`).
 */
export function denseChain(
  model: tf.LayersModel,
  inputWidth: number,
): ((x: Float32Array, n: number, batchSize: number) => Float32Array) | null {
  if (model.getClassName() !== 'Sequential') return null;
  const steps: DenseStep[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || cls === 'Dropout') continue;
    if (cls !== 'Dense') return null;
    const config = layer.getConfig();
    const activation = typeof config.activation === 'string' ? config.activation : 'linear';
    const [kernel, bias] = layer.getWeights();
    if (!kernel || kernel.rank !== 2) return null;
    const fused = isFused(activation) ? activation : null;
    const after = fused ? null : (AFTER[activation] ?? null);
    if (!fused && !after) return null;
    steps.push({ kernel, bias: config.useBias === false ? null : (bias ?? null), fused, after });
  }
  const k = steps.at(-1)?.kernel.shape[1];
  if (k === undefined) return null;
  return (x, n, batchSize) => {
    const out = new Float32Array(n * k);
    for (let start = 0; start < n; start += batchSize) {
      const b = Math.min(batchSize, n - start);
      tf.tidy(() => {
        let h: tf.Tensor = tf.tensor2d(x.subarray(start * inputWidth, (start + b) * inputWidth), [
          b,
          inputWidth,
        ]);
        for (const s of steps) {
          if (s.fused)
            h = tf.fused.matMul({ a: h, b: s.kernel, bias: s.bias ?? undefined, activation: s.fused });
          else {
            h = tf.matMul(h, s.kernel);
            if (s.bias) h = tf.add(h, s.bias);
            if (s.after) h = s.after(h);
          }
        }
        out.set(h.dataSync(), start * k);
      });
    }
    return out;
  };
}
