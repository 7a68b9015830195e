import * as tf from '@tensorflow/tfjs';

/** Deterministic values in [-1, 1) (a small LCG), the same on every backend. Test helper. */
export function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** A tensor of `shape` filled by `seeded`. Test helper. */
export function rand(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    seeded(
      shape.reduce((p, d) => p * d, 1),
      seed,
    ),
    shape,
  );
}

/** Runs `f` on `backend` and returns every output's values (flattened, in order). Test helper. */
export async function valuesOn(backend: string, f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const list = Array.isArray(outs) ? outs : [outs];
  const vals = list.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(list);
  return vals;
}

/**
 * The largest `diff(a[i], b[i])` over lists of arrays: Infinity on a length mismatch or a NaN.
 * The one walk under `maxAbsDiff` and `maxScaledDiff`.
 */
function maxDiff(a: Float32Array[], b: Float32Array[], diff: (x: number, ref: number) => number): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  a.forEach((x, k) => {
    const y = b[k];
    if (!y || x.length !== y.length) {
      m = Infinity;
      return;
    }
    x.forEach((v, i) => {
      const d = diff(v, y[i]!);
      if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
    });
  });
  return m;
}

/** Largest |a[i] − b[i]| over lists of arrays (Infinity on a length mismatch or NaN). Test helper. */
export function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  return maxDiff(a, b, (x, ref) => Math.abs(x - ref));
}

/**
 * Largest |a[i] − b[i]| / max(1, |b[i]|): absolute for values up to 1, relative above (sums of
 * squares and conv gradients reach the hundreds, where float32 rounding alone exceeds 1e-4).
 * Test helper.
 */
export function maxScaledDiff(a: Float32Array[], b: Float32Array[]): number {
  return maxDiff(a, b, (x, ref) => Math.abs(x - ref) / Math.max(1, Math.abs(ref)));
}
