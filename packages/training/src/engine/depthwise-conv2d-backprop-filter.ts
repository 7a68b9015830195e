import * as tf from '@tensorflow/tfjs';
import { input, readValues, shape4, toFloat32, writeOutput, type KernelArgs } from './kernel-io.js';
import { shape4Attr } from './kernel-attrs.js';
import { depthwiseGeometry } from './nhwc-conv-info.js';

const KERNEL = 'DepthwiseConv2dNativeBackpropFilter';

/**
 * `DepthwiseConv2dNativeBackpropFilter` as flat typed-array loops (NHWC, strides,
 * 'same'/'valid'/explicit padding; dilations must be 1). Filter shape [fh, fw, inC, mult];
 * output channel d = ci·mult + q.
 */
export function depthwiseConv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = input(inputs, 'x', KERNEL);
  const dy = input(inputs, 'dy', KERNEL);
  const filterShape = shape4Attr(attrs, 'filterShape', KERNEL);
  const { info, mult, top, left } = depthwiseGeometry(attrs, KERNEL, shape4(x, 'x', KERNEL), filterShape);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fhN, filterWidth: fwN } = info;
  const xv = readValues(backend, x);
  const dyv = readValues(backend, dy);
  const dw = new Float64Array(fhN * fwN * outChannels);

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
            const wOff = (fh * fwN + fw) * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xval = xv[xOff + ci] as number;
              const d0 = ci * mult;
              for (let q = 0; q < mult; q++) {
                dw[wOff + d0 + q]! += xval * (dyv[dyOff + d0 + q] as number);
              }
            }
          }
        }
      }
    }
  }
  return writeOutput(backend, toFloat32(dw), [...filterShape], 'float32');
}
