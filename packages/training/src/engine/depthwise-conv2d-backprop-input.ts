import * as tf from '@tensorflow/tfjs';
import { input, readValues, shape4, toFloat32, writeOutput, type KernelArgs } from './kernel-io.js';
import { shape4Attr } from './kernel-attrs.js';
import { depthwiseGeometry } from './nhwc-conv-info.js';

const KERNEL = 'DepthwiseConv2dNativeBackpropInput';

/**
 * `DepthwiseConv2dNativeBackpropInput` as flat typed-array loops (NHWC, strides,
 * 'same'/'valid'/explicit padding; dilations must be 1): scatters each dy element back through
 * the filter taps that produced it.
 */
export function depthwiseConv2dBackpropInput({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const dy = input(inputs, 'dy', KERNEL);
  const filter = input(inputs, 'filter', KERNEL);
  const inputShape = shape4Attr(attrs, 'inputShape', KERNEL);
  const { info, mult, top, left } = depthwiseGeometry(
    attrs,
    KERNEL,
    inputShape,
    shape4(filter, 'filter', KERNEL),
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fhN, filterWidth: fwN } = info;
  const dyv = readValues(backend, dy);
  const wv = readValues(backend, filter);
  const dx = new Float64Array(batchSize * inHeight * inWidth * inChannels);

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
            const dxOff = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            const wOff = (fh * fwN + fw) * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const d0 = ci * mult;
              let s = 0;
              for (let q = 0; q < mult; q++)
                s += (dyv[dyOff + d0 + q] as number) * (wv[wOff + d0 + q] as number);
              dx[dxOff + ci]! += s;
            }
          }
        }
      }
    }
  }
  return writeOutput(backend, toFloat32(dx), [...inputShape], 'float32');
}
