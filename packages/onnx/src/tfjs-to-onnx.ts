import { MyelinError } from '@myelin/errors';
import { OnnxGraph, ONNX_OPSET } from './onnx-graph.js';
import {
  readTfjsLayersModel,
  type TfjsLayer,
  type TfjsLayersModel,
  type TfjsModelFiles,
  type TfjsWeight,
} from './tfjs-layers-model.js';

/** The input of every exported graph: the flat encoded feature row, as the served model takes it. */
export const ONNX_INPUT_NAME = 'input';
/** The output of every exported graph: what the served model's last layer gives. */
export const ONNX_OUTPUT_NAME = 'output';

/** An exported model: the `.onnx` bytes and its input and output (float32, batch first). */
export interface OnnxExport {
  bytes: Uint8Array;
  opset: number;
  input: { name: string; dims: number[] };
  output: { name: string; dims: number[] };
}

/** Options of `tfjsToOnnx`. */
export interface TfjsToOnnxOptions {
  /** The graph's name. @defaultValue 'myelin' */
  name?: string;
  /** Text stored in the model's doc string (e.g. the Myelin model and version). @defaultValue '' */
  docString?: string;
}

/** Where a value is: a flat row `[features]`, or an image in ONNX's `NCHW` (tfjs keeps `NHWC`). */
type Value =
  | { name: string; layout: 'flat'; size: number }
  | { name: string; layout: 'nchw'; h: number; w: number; c: number };

function unsupported(layer: TfjsLayer, detail: string): MyelinError {
  return new MyelinError(
    'MYELIN_ERR_ONNX_EXPORT',
    `cannot export layer "${layer.name}" (${layer.className}) to ONNX: ${detail}`,
    { file: 'model.json', path: layer.name },
  );
}

function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0] ?? fallback), Number(v[1] ?? v[0] ?? fallback)];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

/**
 * Converts a served tfjs layers model to an ONNX graph (opset 13) that computes the same outputs
 * from the same input: the flat encoded feature row `[batch, features]`.
 *
 * Layers: `InputLayer`; `Dense` (Gemm); `Dropout` (Identity: inference); `BatchNormalization`
 * (its inference form over the moving mean and variance); `Reshape` of the flat row to an image
 * `[h, w, c]` (Reshape to NHWC, then Transpose to ONNX's NCHW); `Conv2D` (kernel HWIO → OIHW,
 * tfjs `same` padding as explicit pads, the extra row/column at the end like TensorFlow);
 * `MaxPooling2D`; `Flatten` (transposed back to NHWC first, so features come in tfjs's order);
 * `Activation`. Activations: relu, sigmoid, tanh, softmax (last axis), linear, elu, selu, gelu
 * (tfjs-layers' exact form `x · ½(1 + erf(x/√2))`), swish (`x · sigmoid(x)`).
 * Anything else: `MYELIN_ERR_ONNX_EXPORT` naming the layer.
 *
 * @example
 * const { bytes } = tfjsToOnnx({ modelJson, weights }, { name: 'penguins' });
 */
export function tfjsToOnnx(files: TfjsModelFiles, options: TfjsToOnnxOptions = {}): OnnxExport {
  const model = readTfjsLayersModel(files);
  const g = new OnnxGraph(options.name ?? 'myelin');
  g.fresh(ONNX_INPUT_NAME);
  let v: Value = { name: ONNX_INPUT_NAME, layout: 'flat', size: model.inputSize };
  for (const layer of model.layers) v = convertLayer(g, model, layer, v);
  if (v.layout !== 'flat')
    throw new MyelinError(
      'MYELIN_ERR_ONNX_EXPORT',
      'cannot export the model to ONNX: its output is an image, not a row',
      { file: 'model.json' },
    );
  const out = g.node('Identity', [v.name], {}, ONNX_OUTPUT_NAME);
  const input = { name: ONNX_INPUT_NAME, dims: [model.inputSize] };
  const output = { name: out, dims: [v.size] };
  return { bytes: g.toBytes(input, output, options.docString ?? ''), opset: ONNX_OPSET, input, output };
}

function weight(model: TfjsLayersModel, layer: TfjsLayer, part: string): TfjsWeight | undefined {
  return model.weights.get(`${layer.name}/${part}`);
}

function need(model: TfjsLayersModel, layer: TfjsLayer, part: string): TfjsWeight {
  const w = weight(model, layer, part);
  if (!w) throw unsupported(layer, `weights.bin has no ${layer.name}/${part}`);
  return w;
}

function convertLayer(g: OnnxGraph, model: TfjsLayersModel, layer: TfjsLayer, v: Value): Value {
  const c = layer.config;
  switch (layer.className) {
    case 'InputLayer':
      return v;
    case 'Dropout':
      return { ...v, name: g.node('Identity', [v.name], {}, 'dropout') };
    case 'Activation':
      return activation(g, layer, v, c.activation);
    case 'Dense': {
      if (v.layout !== 'flat') throw unsupported(layer, 'a dense layer on an image (add a flatten layer)');
      const kernel = need(model, layer, 'kernel');
      const [inSize, units] = kernel.shape as [number, number];
      if (inSize !== v.size)
        throw unsupported(layer, `its kernel takes ${inSize} features, it gets ${v.size}`);
      const inputs = [v.name, g.initializer(`${layer.name}_kernel`, [inSize, units], kernel.values)];
      const bias = c.use_bias === false ? undefined : need(model, layer, 'bias');
      if (bias) inputs.push(g.initializer(`${layer.name}_bias`, [units], bias.values));
      const y = g.node('Gemm', inputs, {}, layer.name);
      return activation(g, layer, { name: y, layout: 'flat', size: units }, c.activation);
    }
    case 'BatchNormalization': {
      const axis = c.axis === undefined ? -1 : Number(Array.isArray(c.axis) ? c.axis[0] : c.axis);
      const rank = v.layout === 'flat' ? 2 : 4;
      if (axis !== -1 && axis !== rank - 1)
        throw unsupported(layer, `normalising axis ${axis} (only the last axis)`);
      const channels = v.layout === 'flat' ? v.size : v.c;
      const ones = new Float32Array(channels).fill(1);
      const zeros = new Float32Array(channels);
      const gamma = c.scale === false ? ones : need(model, layer, 'gamma').values;
      const beta = c.center === false ? zeros : need(model, layer, 'beta').values;
      const mean = need(model, layer, 'moving_mean').values;
      const variance = need(model, layer, 'moving_variance').values;
      // ONNX normalises dimension 1: the features of a row, the channels of NCHW (tfjs: the last axis)
      const y = g.node(
        'BatchNormalization',
        [
          v.name,
          g.initializer(`${layer.name}_gamma`, [channels], gamma),
          g.initializer(`${layer.name}_beta`, [channels], beta),
          g.initializer(`${layer.name}_mean`, [channels], mean),
          g.initializer(`${layer.name}_variance`, [channels], variance),
        ],
        { epsilon: { float: Number(c.epsilon ?? 0.001) } },
        layer.name,
      );
      return { ...v, name: y };
    }
    case 'Reshape': {
      const target = (c.target_shape as number[] | undefined)?.map(Number) ?? [];
      const size = v.layout === 'flat' ? v.size : v.h * v.w * v.c;
      if (target.reduce((a, b) => a * b, 1) !== size)
        throw unsupported(layer, `target shape [${target.join(', ')}] does not hold ${size} values`);
      const flat = v.layout === 'flat' ? v.name : toFlatNhwc(g, v);
      if (target.length === 1) {
        const y = g.node(
          'Reshape',
          [flat, g.int64Initializer(`${layer.name}_shape`, [-1, target[0]!])],
          {},
          layer.name,
        );
        return { name: y, layout: 'flat', size: target[0]! };
      }
      if (target.length !== 3)
        throw unsupported(layer, 'only [features] or [height, width, channels] targets');
      const [h, w, ch] = target as [number, number, number];
      const nhwc = g.node(
        'Reshape',
        [flat, g.int64Initializer(`${layer.name}_shape`, [-1, h, w, ch])],
        {},
        layer.name,
      );
      const nchw = g.node('Transpose', [nhwc], { perm: [0, 3, 1, 2] }, `${layer.name}_nchw`);
      return { name: nchw, layout: 'nchw', h, w, c: ch };
    }
    case 'Flatten': {
      if (v.layout === 'flat') return v;
      const y = toFlatNhwc(g, v, layer.name);
      return { name: y, layout: 'flat', size: v.h * v.w * v.c };
    }
    case 'Conv2D': {
      if (v.layout !== 'nchw') throw unsupported(layer, 'a 2-D convolution needs an image input');
      if ((c.data_format ?? 'channels_last') !== 'channels_last')
        throw unsupported(layer, 'only channels_last data (as tfjs trains)');
      const kernel = need(model, layer, 'kernel');
      const [kh, kw, inC, outC] = kernel.shape as [number, number, number, number];
      if (inC !== v.c) throw unsupported(layer, `its kernel takes ${inC} channels, it gets ${v.c}`);
      const [sh, sw] = pair(c.strides, 1);
      const [dh, dw] = pair(c.dilation_rate, 1);
      const { pads, oh, ow } = spatial(String(c.padding ?? 'valid'), v.h, v.w, kh, kw, sh, sw, dh, dw);
      const inputs = [v.name, g.initializer(`${layer.name}_kernel`, [outC, inC, kh, kw], hwioToOihw(kernel))];
      const bias = c.use_bias === false ? undefined : need(model, layer, 'bias');
      if (bias) inputs.push(g.initializer(`${layer.name}_bias`, [outC], bias.values));
      const y = g.node(
        'Conv',
        inputs,
        { kernel_shape: [kh, kw], strides: [sh, sw], dilations: [dh, dw], pads },
        layer.name,
      );
      return activation(g, layer, { name: y, layout: 'nchw', h: oh, w: ow, c: outC }, c.activation);
    }
    case 'MaxPooling2D': {
      if (v.layout !== 'nchw') throw unsupported(layer, 'max pooling needs an image input');
      const [ph, pw] = pair(c.pool_size, 2);
      const [sh, sw] = c.strides === null || c.strides === undefined ? [ph, pw] : pair(c.strides, ph);
      const { pads, oh, ow } = spatial(String(c.padding ?? 'valid'), v.h, v.w, ph, pw, sh, sw, 1, 1);
      const y = g.node('MaxPool', [v.name], { kernel_shape: [ph, pw], strides: [sh, sw], pads }, layer.name);
      return { name: y, layout: 'nchw', h: oh, w: ow, c: v.c };
    }
    default:
      throw unsupported(layer, 'this layer type has no ONNX export');
  }
}

/** NCHW → NHWC → `[batch, h·w·c]`: tfjs flattens channels last. */
function toFlatNhwc(g: OnnxGraph, v: Extract<Value, { layout: 'nchw' }>, hint = 'flatten'): string {
  const nhwc = g.node('Transpose', [v.name], { perm: [0, 2, 3, 1] }, `${hint}_nhwc`);
  return g.node('Flatten', [nhwc], { axis: 1 }, hint);
}

/** TensorFlow's output size and padding for `valid` / `same` (the odd pixel goes at the end). */
function spatial(
  padding: string,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  dh: number,
  dw: number,
): { pads: number[]; oh: number; ow: number } {
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  if (padding === 'same') {
    const oh = Math.ceil(h / sh);
    const ow = Math.ceil(w / sw);
    const th = Math.max((oh - 1) * sh + ekh - h, 0);
    const tw = Math.max((ow - 1) * sw + ekw - w, 0);
    const top = Math.floor(th / 2);
    const left = Math.floor(tw / 2);
    return { pads: [top, left, th - top, tw - left], oh, ow };
  }
  return { pads: [0, 0, 0, 0], oh: Math.floor((h - ekh) / sh) + 1, ow: Math.floor((w - ekw) / sw) + 1 };
}

/** A conv kernel from tfjs's `[kh, kw, in, out]` to ONNX's `[out, in, kh, kw]`. */
function hwioToOihw(kernel: TfjsWeight): Float32Array {
  const [kh, kw, inC, outC] = kernel.shape as [number, number, number, number];
  const out = new Float32Array(kernel.values.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < inC; i++)
        for (let o = 0; o < outC; o++)
          out[((o * inC + i) * kh + y) * kw + x] = kernel.values[((y * kw + x) * inC + i) * outC + o]!;
  return out;
}

/** Applies a tfjs activation by name. */
function activation(g: OnnxGraph, layer: TfjsLayer, v: Value, name: unknown): Value {
  const x = v.name;
  const hint = `${layer.name}_act`;
  let y: string;
  switch (name ?? 'linear') {
    case 'linear':
      return v;
    case 'relu':
      y = g.node('Relu', [x], {}, hint);
      break;
    case 'sigmoid':
      y = g.node('Sigmoid', [x], {}, hint);
      break;
    case 'tanh':
      y = g.node('Tanh', [x], {}, hint);
      break;
    case 'softmax':
      // tfjs: over the last axis; that is the channel axis, 1, of NCHW
      y = g.node('Softmax', [x], { axis: v.layout === 'nchw' ? 1 : -1 }, hint);
      break;
    case 'elu':
      y = g.node('Elu', [x], { alpha: { float: 1 } }, hint);
      break;
    case 'selu':
      // tfjs's constants; ONNX's defaults are the same numbers in float32
      y = g.node(
        'Selu',
        [x],
        { alpha: { float: 1.6732632423543772 }, gamma: { float: 1.0507009873554805 } },
        hint,
      );
      break;
    case 'gelu': {
      // tfjs-layers' `gelu`: the exact form x · ½ · (1 + erf(x / √2)) (not the tanh approximation, `gelu_new`)
      const scaled = g.node('Div', [x, g.initializer(`${hint}_sqrt2`, [], new Float32Array([Math.SQRT2]))]);
      const erf = g.node('Erf', [scaled]);
      const plus = g.node('Add', [erf, g.initializer(`${hint}_one`, [], new Float32Array([1]))]);
      const half = g.node('Mul', [plus, g.initializer(`${hint}_half`, [], new Float32Array([0.5]))]);
      y = g.node('Mul', [x, half], {}, hint);
      break;
    }
    case 'swish':
      // tfjs-layers' `swish`: x · sigmoid(x)
      y = g.node('Mul', [x, g.node('Sigmoid', [x])], {}, hint);
      break;
    default:
      throw unsupported(layer, `activation "${String(name)}" has no ONNX export`);
  }
  return { ...v, name: y };
}
