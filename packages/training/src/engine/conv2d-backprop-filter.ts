import * as tf from '@tensorflow/tfjs';
import {
  assertNhwc,
  input,
  readValues,
  shape4,
  toFloat32,
  writeOutput,
  type KernelArgs,
} from './kernel-io.js';
import { nhwcConvInfo } from './nhwc-conv-info.js';

const KERNEL = 'Conv2DBackpropFilter';

/**
 * `Conv2DBackpropFilter` as flat typed-array loops (NHWC, any strides, 'same'/'valid'/explicit
 * padding, dilation 1). Backend-agnostic: it reads its inputs with `readSync` and writes its
 * output with `write`, so it runs on wasm (which lacks the kernel) and on cpu (where it is about
 * 10x faster than the stock kernel, which reads every element through `TensorBuffer.get`).
 *
 * dW[fh, fw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + fh − top, ow·sw + fw − left, ci] · dy[n, oh, ow, co]
 */
export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = input(inputs, 'x', KERNEL);
  const dy = input(inputs, 'dy', KERNEL);
  const a = (attrs ?? {}) as unknown as tf.Conv2DBackpropFilterAttrs;
  assertNhwc(a.dataFormat, KERNEL);
  const info = nhwcConvInfo(shape4(x, 'x', KERNEL), a.filterShape, a, false);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fhN, filterWidth: fwN } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = readValues(backend, x);
  const dyv = readValues(backend, dy);
  const dw = new Float64Array(fhN * fwN * inChannels * outChannels);

  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let fh = 0; fh < fhN; fh++) {
        const ih = oh * sh + fh - top;
        if (ih < 0 || ih >= inHeight) continue;
        for (let ow = 0; ow < outWidth; ow++) {
          const dyOff = ((b * outHeight + oh) * outWidth + ow) * outChannels;
          for (let fw = 0; fw < fwN; fw++) {
            const iw = ow * sw + fw - left;
            if (iw < 0 || iw >= inWidth) continue;
            const xOff = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const wOff = (fh * fwN + fw) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xval = xv[xOff + ci] as number;
              if (xval === 0) continue;
              const wo = wOff + ci * outChannels;
              for (let co = 0; co < outChannels; co++) {
                dw[wo + co]! += xval * (dyv[dyOff + co] as number);
              }
            }
          }
        }
      }
    }
  }
  return writeOutput(backend, toFloat32(dw), [...a.filterShape], 'float32');
}
