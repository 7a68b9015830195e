import * as tf from '@tensorflow/tfjs';

/**
 * The geometry (sizes, strides, padding) of an NHWC convolution with dilation 1, as the
 * registered gradient kernels need it: one call instead of the same nine arguments in each.
 *
 * @example
 * const info = nhwcConvInfo(x.shape, attrs.filterShape, attrs, false);
 * info.outHeight; info.padInfo.top;
 */
export function nhwcConvInfo(
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: Pick<tf.Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dimRoundingMode'>,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
}
