import * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';
import { assertNhwc, input, readValues, shape4, writeOutput, type KernelArgs } from './kernel-io.js';
import { convGeometry, shape4Attr, stringAttr } from './kernel-attrs.js';
import { nhwcConvInfo } from './nhwc-conv-info.js';

const KERNEL = 'Conv2DBackpropFilter';

/**
 * `Conv2DBackpropFilter` (NHWC, any strides, 'same'/'valid'/explicit padding, dilation 1) as
 * im2col + the backend's own matrix product: the input patches are laid out as
 * colsT [fh·fw·ci, n·oh·ow] (zeros where the window hangs over the padding), and
 *
 *   dW [fh·fw·ci, co] = colsT · dy [n·oh·ow, co]
 *
 * runs as one `BatchMatMul` without transposes (XNNPACK's fast path on wasm). The result's
 * rows are already in HWIO order, so it is returned reshaped to the filter shape. Backend-
 * agnostic: runs on wasm (which lacks the kernel) and on cpu.
 */
export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = input(inputs, 'x', KERNEL);
  const dy = input(inputs, 'dy', KERNEL);
  assertNhwc(stringAttr(attrs, 'dataFormat', KERNEL), KERNEL);
  const filterShape = shape4Attr(attrs, 'filterShape', KERNEL);
  const info = nhwcConvInfo(shape4(x, 'x', KERNEL), filterShape, convGeometry(attrs, KERNEL), false);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fhN, filterWidth: fwN } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = readValues(backend, x);
  const rows = fhN * fwN * inChannels;
  const cols = batchSize * outHeight * outWidth;
  const colsT = new Float32Array(rows * cols);
  for (let fh = 0; fh < fhN; fh++) {
    for (let fw = 0; fw < fwN; fw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const rowOff = ((fh * fwN + fw) * inChannels + ci) * cols;
        let col = 0;
        for (let b = 0; b < batchSize; b++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * sh + fh - top;
            if (ih < 0 || ih >= inHeight) {
              col += outWidth;
              continue;
            }
            const rowBase = (b * inHeight + ih) * inWidth;
            for (let ow = 0; ow < outWidth; ow++, col++) {
              const iw = ow * sw + fw - left;
              if (iw >= 0 && iw < inWidth)
                colsT[rowOff + col] = xv[(rowBase + iw) * inChannels + ci] as number;
            }
          }
        }
      }
    }
  }
  const lhs = writeOutput(backend, colsT, [1, rows, cols], 'float32');
  const rhs = { dataId: dy.dataId, shape: [1, cols, outChannels], dtype: dy.dtype };
  const matMul = tf.getKernel('BatchMatMul', tf.getBackend());
  if (!matMul) {
    backend.disposeData(lhs.dataId);
    throw new MyelinError(
      'MYELIN_ERR_BACKEND',
      `${KERNEL}: the ${tf.getBackend()} backend has no BatchMatMul kernel`,
    );
  }
  try {
    const out = matMul.kernelFunc({
      inputs: { a: lhs, b: rhs },
      backend,
      attrs: { transposeA: false, transposeB: false },
    }) as tf.TensorInfo;
    return { dataId: out.dataId, shape: [...filterShape], dtype: 'float32' };
  } finally {
    backend.disposeData(lhs.dataId);
  }
}
