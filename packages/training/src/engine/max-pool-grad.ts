import * as tf from '@tensorflow/tfjs';
import { convGeometry, pairAttr } from './kernel-attrs.js';
import { input, readValues, shape4, toFloat32, writeOutput, type KernelArgs } from './kernel-io.js';

const KERNEL = 'MaxPoolGrad';

/**
 * `MaxPoolGrad` as flat typed-array loops (NHWC): each dy element goes to the first largest input
 * of its window (row-major), as the cpu backend does. Replaces the wasm kernel, which starts its
 * running maximum at 0 and so sends the gradient of an all-negative window to its first element.
 */
export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const dy = input(inputs, 'dy', KERNEL);
  const x = input(inputs, 'input', KERNEL);
  const { strides, pad, dimRoundingMode } = convGeometry(attrs, KERNEL);
  const info = tf.backend_util.computePool2DInfo(
    shape4(x, 'input', KERNEL),
    pairAttr(attrs, 'filterSize', KERNEL),
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: ch,
    outHeight,
    outWidth,
    strideHeight: sh,
    strideWidth: sw,
  } = info;
  const { filterHeight: fhN, filterWidth: fwN } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = readValues(backend, x);
  const dyv = readValues(backend, dy);
  const dx = new Float64Array(xv.length);
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++) {
        const dyOff = ((b * outHeight + oh) * outWidth + ow) * ch;
        for (let c = 0; c < ch; c++) {
          let best = -Infinity;
          let at = -1;
          for (let fh = 0; fh < fhN; fh++) {
            const ih = oh * sh + fh - top;
            if (ih < 0 || ih >= inHeight) continue;
            for (let fw = 0; fw < fwN; fw++) {
              const iw = ow * sw + fw - left;
              if (iw < 0 || iw >= inWidth) continue;
              const idx = ((b * inHeight + ih) * inWidth + iw) * ch + c;
              const v = xv[idx] as number;
              if (v > best || at < 0) {
                best = v;
                at = idx;
              }
            }
          }
          if (at >= 0) dx[at]! += dyv[dyOff + c] as number;
        }
      }
    }
  }
  return writeOutput(backend, toFloat32(dx), [...x.shape], 'float32');
}
