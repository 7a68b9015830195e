import type * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import { numberAttr } from './kernel-attrs.js';
import { input, readValues, writeOutput, type KernelArgs } from './kernel-io.js';

const KERNEL = 'UnsortedSegmentSum';

/**
 * `UnsortedSegmentSum` as a flat loop: out[s, …] = Σ_{i: ids[i] = s} x[i, …]. Output shape
 * [numSegments, ...x.shape.slice(segmentIds.rank)], dtype of x. Ids outside [0, numSegments)
 * are dropped (as TensorFlow does). This is the gradient of `gather`, so embeddings need it.
 */
export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = input(inputs, 'x', KERNEL);
  const segmentIds = input(inputs, 'segmentIds', KERNEL);
  const numSegments = numberAttr(attrs, 'numSegments', KERNEL, 0);
  const idRank = segmentIds.shape.length;
  const prefix = x.shape.slice(0, idRank);
  if (prefix.some((d, i) => d !== segmentIds.shape[i])) {
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `${KERNEL}: segmentIds shape [${segmentIds.shape.join(', ')}] must prefix x shape [${x.shape.join(', ')}]`,
    );
  }
  const rows = segmentIds.shape.reduce((p, d) => p * d, 1);
  const innerShape = x.shape.slice(idRank);
  const inner = innerShape.reduce((p, d) => p * d, 1);
  const xv = readValues(backend, x);
  const ids = readValues(backend, segmentIds);
  const acc = new Float64Array(numSegments * inner);
  for (let i = 0; i < rows; i++) {
    const s = ids[i] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) acc[dst + j]! += xv[src + j] as number;
  }
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const out = dtype === 'int32' ? Int32Array.from(acc) : Float32Array.from(acc);
  return writeOutput(backend, out, [numSegments, ...innerShape], dtype);
}
