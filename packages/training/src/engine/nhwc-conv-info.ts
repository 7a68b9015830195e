import * as tf from '@tensorflow/tfjs';
import { convGeometry } from './kernel-attrs.js';
import { assertNoDilation } from './kernel-io.js';

/**
 * The geometry (sizes, strides, padding) of an NHWC convolution with dilation 1, as the
 * registered gradient kernels need it: one call instead of the same nine arguments in each.
 *
 * @example
 * const info = nhwcConvInfo(shape4(x, 'x', KERNEL), filterShape, convGeometry(attrs, KERNEL), false);
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

/** The geometry a depthwise gradient kernel walks: the conv info plus what both kernels derive from it. */
export interface DepthwiseGeometry {
  info: tf.backend_util.Conv2DInfo;
  /** Output channels per input channel (output channel d = ci·mult + q). */
  mult: number;
  top: number;
  left: number;
}

/**
 * Checks a depthwise kernel's attributes (dilations 1; strides, pad, rounding) and computes its
 * geometry: the one prelude of `DepthwiseConv2dNativeBackpropFilter` and `…BackpropInput`.
 *
 * @example
 * const { info, mult, top, left } = depthwiseGeometry(attrs, KERNEL, shape4(x, 'x', KERNEL), filterShape);
 */
export function depthwiseGeometry(
  attrs: tf.NamedAttrMap | undefined,
  kernel: string,
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
): DepthwiseGeometry {
  assertNoDilation(attrs?.['dilations'], kernel);
  const info = nhwcConvInfo(inShape, filterShape, convGeometry(attrs, kernel), true);
  return { info, mult: info.outChannels / info.inChannels, top: info.padInfo.top, left: info.padInfo.left };
}
