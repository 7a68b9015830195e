import * as tf from '@tensorflow/tfjs';

const MATMUL_EXPECTED = [19, 22, 43, 50];
const CONV_EXPECTED = [37, 47, 67, 77];

/**
 * A tiny check that the active backend computes: a 2x2 matMul and a 3x3 'valid' conv with a 2x2
 * filter, compared with values worked out by hand.
 *
 * @returns null when both match (within 1e-4), else what went wrong.
 */
export function backendSelfTest(): string | null {
  try {
    const [mm, conv] = tf.tidy(() => {
      const m = tf.matMul(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        tf.tensor2d([
          [5, 6],
          [7, 8],
        ]),
      );
      const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
      const w = tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]);
      return [m, tf.conv2d(x, w, 1, 'valid')];
    });
    const got = { mm: mm.dataSync(), conv: conv.dataSync() };
    mm.dispose();
    conv.dispose();
    return mismatch('matMul', got.mm, MATMUL_EXPECTED) ?? mismatch('conv2d', got.conv, CONV_EXPECTED);
  } catch (e) {
    return `threw ${e instanceof Error ? e.message : String(e)}`;
  }
}

function mismatch(what: string, got: ArrayLike<number>, want: number[]): string | null {
  const ok = got.length === want.length && want.every((v, i) => Math.abs((got[i] ?? NaN) - v) <= 1e-4);
  return ok ? null : `${what} gave [${Array.from(got).join(', ')}], expected [${want.join(', ')}]`;
}
