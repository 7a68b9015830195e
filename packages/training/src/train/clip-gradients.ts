import * as tf from '@tensorflow/tfjs';

/**
 * Clips gradients: with `clipNorm`, all gradients are scaled together by
 * clipNorm / max(globalNorm, clipNorm), where globalNorm = sqrt(Σ‖g‖²) (TensorFlow's
 * `clip_by_global_norm`); then, with `clipValue`, each element is clipped to [−clipValue, clipValue].
 * Returns new tensors (the inputs when neither is set); call inside `tf.tidy`.
 */
export function clipGradients(
  grads: tf.NamedTensorMap,
  clipNorm?: number,
  clipValue?: number,
): tf.NamedTensorMap {
  let out = grads;
  const names = Object.keys(grads);
  if (clipNorm !== undefined && clipNorm > 0 && names.length > 0) {
    const squares = names.map((n) => tf.sum(tf.square(grads[n] as tf.Tensor)));
    const globalNorm = tf.sqrt(tf.addN(squares));
    const scale = tf.div(clipNorm, tf.maximum(globalNorm, clipNorm));
    out = Object.fromEntries(names.map((n) => [n, tf.mul(out[n] as tf.Tensor, scale)]));
  }
  if (clipValue !== undefined && clipValue > 0) {
    out = Object.fromEntries(
      names.map((n) => [n, tf.clipByValue(out[n] as tf.Tensor, -clipValue, clipValue)]),
    );
  }
  return out;
}
