import type * as tf from '@tensorflow/tfjs';
import { MyelinError } from '@myelin/errors';

/** A pair attribute (strides, filter size): one number for both axes, or [height, width]. */
export type PairAttr = number | [number, number];
/** Padding as tfjs convolutions take it. */
export type PadAttr = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
/** The geometry attributes every convolution and pooling kernel carries. */
export interface ConvGeometry {
  strides: PairAttr;
  pad: PadAttr;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

// tfjs hands a kernel its attributes as a loose `NamedAttrMap`; these readers check the shape of
// the one attribute a kernel reads and name the kernel and attribute when it is off. They run
// once per kernel call, outside the element loops.

function bad(kernel: string, name: string, want: string, got: unknown): MyelinError {
  return new MyelinError(
    'MYELIN_ERR_BACKEND',
    `${kernel}: attribute "${name}" must be ${want}, got ${JSON.stringify(got) ?? String(got)}`,
  );
}

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isNumbers = (v: unknown, n: number): v is number[] =>
  Array.isArray(v) && v.length === n && v.every(isNumber);

const pair = (v: number[]): [number, number] => [v[0]!, v[1]!];

/** A number attribute; `fallback` when it is absent. */
export function numberAttr(
  attrs: tf.NamedAttrMap | undefined,
  name: string,
  kernel: string,
  fallback?: number,
): number {
  const v = attrs?.[name];
  if (v === undefined && fallback !== undefined) return fallback;
  if (!isNumber(v)) throw bad(kernel, name, 'a number', v);
  return v;
}

/** A boolean attribute; false when it is absent. */
export function boolAttr(attrs: tf.NamedAttrMap | undefined, name: string, kernel: string): boolean {
  const v = attrs?.[name];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw bad(kernel, name, 'a boolean', v);
  return v;
}

/** A string attribute, or undefined when it is absent. */
export function stringAttr(
  attrs: tf.NamedAttrMap | undefined,
  name: string,
  kernel: string,
): string | undefined {
  const v = attrs?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw bad(kernel, name, 'a string', v);
  return v;
}

/** A rank-4 shape attribute (a filter or input shape). */
export function shape4Attr(
  attrs: tf.NamedAttrMap | undefined,
  name: string,
  kernel: string,
): [number, number, number, number] {
  const v = attrs?.[name];
  if (!isNumbers(v, 4)) throw bad(kernel, name, 'a shape of 4 numbers', v);
  const [a, b, c, d] = v;
  return [a!, b!, c!, d!];
}

/** A pair attribute: a number or [height, width]. */
export function pairAttr(attrs: tf.NamedAttrMap | undefined, name: string, kernel: string): PairAttr {
  const v = attrs?.[name];
  if (isNumber(v)) return v;
  if (!isNumbers(v, 2)) throw bad(kernel, name, 'a number or [height, width]', v);
  return pair(v);
}

function padAttr(attrs: tf.NamedAttrMap | undefined, kernel: string): PadAttr {
  const v = attrs?.['pad'];
  if (typeof v === 'string' && (v === 'same' || v === 'valid')) return v;
  if (isNumber(v)) return v;
  if (Array.isArray(v) && v.length === 4) {
    const [n, h, w, c] = v.map((p) => (isNumbers(p, 2) ? pair(p) : undefined));
    if (n && h && w && c) return [n, h, w, c];
  }
  throw bad(kernel, 'pad', "'same', 'valid', a number or explicit [[top, bottom], …] padding", v);
}

/** strides, pad and dimRoundingMode: what `computeConv2DInfo`/`computePool2DInfo` take. */
export function convGeometry(attrs: tf.NamedAttrMap | undefined, kernel: string): ConvGeometry {
  const rounding = stringAttr(attrs, 'dimRoundingMode', kernel);
  if (rounding !== undefined && rounding !== 'floor' && rounding !== 'round' && rounding !== 'ceil')
    throw bad(kernel, 'dimRoundingMode', "'floor', 'round' or 'ceil'", rounding);
  return {
    strides: pairAttr(attrs, 'strides', kernel),
    pad: padAttr(attrs, kernel),
    ...(rounding !== undefined ? { dimRoundingMode: rounding } : {}),
  };
}
