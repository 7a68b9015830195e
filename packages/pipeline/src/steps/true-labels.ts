import type { Task } from '@myelin/data';

/**
 * Turns the encoded target (one-hot for multiclass, one 0/1 column for binary, values for
 * regression) back into what the metrics take: class indices, or the target values.
 */
export function trueLabels(task: Task, y: Float32Array, cols: number): Float32Array {
  if (task === 'regression') return y;
  const n = y.length / cols;
  const out = new Float32Array(n);
  if (cols === 1) {
    for (let i = 0; i < n; i++) out[i] = y[i]! >= 0.5 ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < cols; j++) if (y[i * cols + j]! > y[i * cols + best]!) best = j;
    out[i] = best;
  }
  return out;
}
