import { MyelinError } from '@myelin/errors';
import type { NamedArray } from '../train/checkpoint-state.js';
import type { ModelPlan } from './model-plan.js';

/** A weight's canonical name and shape. */
export interface WeightSpec {
  name: string;
  shape: number[];
}

/**
 * The weights of a plan under their canonical names, in file order — PyTorch's `nn.Sequential`
 * state-dict names and layouts, with `i` the index in `plan.layers`:
 * - dense: `i.weight` [units, inputs], `i.bias` [units];
 * - conv2d: `i.weight` [filters, inChannels, kh, kw] (OIHW), `i.bias` [filters];
 * - batchNormalization: `i.weight` (γ), `i.bias` (β), `i.running_mean`, `i.running_var`, each [features].
 *
 * @example
 * weightSpecs(plan); // [{ name: '0.weight', shape: [16, 4] }, { name: '0.bias', shape: [16] }, …]
 */
export function weightSpecs(plan: ModelPlan): WeightSpec[] {
  const out: WeightSpec[] = [];
  plan.layers.forEach((l, i) => {
    if (l.kind === 'dense') {
      out.push({ name: `${i}.weight`, shape: [l.units, l.inputs] }, { name: `${i}.bias`, shape: [l.units] });
    } else if (l.kind === 'conv2d') {
      out.push(
        { name: `${i}.weight`, shape: [l.filters, l.inChannels, l.kernelHeight, l.kernelWidth] },
        { name: `${i}.bias`, shape: [l.filters] },
      );
    } else if (l.kind === 'batchNormalization') {
      for (const part of ['weight', 'bias', 'running_mean', 'running_var'])
        out.push({ name: `${i}.${part}`, shape: [l.features] });
    }
  });
  return out;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** dense kernel [in, out] ↔ weight [out, in]. */
function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!;
  return out;
}

/** conv kernel HWIO [kh, kw, in, out] → OIHW [out, in, kh, kw]. */
function hwioToOihw(data: Float32Array, kh: number, kw: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + h) * kw + w] = data[((h * kw + w) * ci + i) * co + o]!;
  return out;
}

/** conv kernel OIHW [out, in, kh, kw] → HWIO [kh, kw, in, out]. */
function oihwToHwio(data: Float32Array, kh: number, kw: number, ci: number, co: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((h * kw + w) * ci + i) * co + o] = data[((o * ci + i) * kh + h) * kw + w]!;
  return out;
}

/**
 * Checks named arrays against the plan (same names, order and shapes) and returns their data.
 * Throws `MYELIN_ERR_ARTIFACT_INTEGRITY` naming the first mismatch.
 */
export function checkWeights(plan: ModelPlan, weights: readonly NamedArray[], what: string): Float32Array[] {
  const specs = weightSpecs(plan);
  if (weights.length !== specs.length) {
    throw new MyelinError(
      'MYELIN_ERR_ARTIFACT_INTEGRITY',
      `${what} holds ${weights.length} weights, the model has ${specs.length}: was it made for another model?`,
    );
  }
  return specs.map((s, i) => {
    const w = weights[i]!;
    if (w.name !== s.name || w.shape.join(',') !== s.shape.join(',') || w.data.length !== sizeOf(s.shape)) {
      throw new MyelinError(
        'MYELIN_ERR_ARTIFACT_INTEGRITY',
        `${what} weight ${i} is ${w.name} [${w.shape.join(', ')}], the model needs ${s.name} [${s.shape.join(', ')}]`,
      );
    }
    return w.data;
  });
}

/**
 * Canonical weights from a tfjs model's weights in layer order (`model.layers` → `layer.weights`:
 * kernel, bias per dense/conv layer; γ, β, moving mean, moving variance per batch norm — not
 * `model.weights`, which lists every trainable weight before the moving statistics): dense
 * kernels are transposed, conv kernels go from HWIO to OIHW.
 */
export function fromTfjsLayout(plan: ModelPlan, arrays: readonly Float32Array[]): NamedArray[] {
  const specs = weightSpecs(plan);
  if (arrays.length !== specs.length) {
    throw new MyelinError(
      'MYELIN_ERR_TRAIN',
      `the tfjs model has ${arrays.length} weights, the plan needs ${specs.length}`,
    );
  }
  let k = 0;
  const out: NamedArray[] = [];
  for (const l of plan.layers) {
    const take = (): { spec: WeightSpec; data: Float32Array } => {
      const spec = specs[k]!;
      const data = arrays[k++]!;
      if (data.length !== sizeOf(spec.shape))
        throw new MyelinError('MYELIN_ERR_TRAIN', `tfjs weight for ${spec.name} holds ${data.length} values`);
      return { spec, data };
    };
    const push = (spec: WeightSpec, data: Float32Array): void => {
      out.push({ name: spec.name, shape: [...spec.shape], dtype: 'float32', data });
    };
    if (l.kind === 'dense') {
      const w = take();
      push(w.spec, transpose2d(w.data, l.inputs, l.units));
      const b = take();
      push(b.spec, b.data.slice());
    } else if (l.kind === 'conv2d') {
      const w = take();
      push(w.spec, hwioToOihw(w.data, l.kernelHeight, l.kernelWidth, l.inChannels, l.filters));
      const b = take();
      push(b.spec, b.data.slice());
    } else if (l.kind === 'batchNormalization') {
      for (let j = 0; j < 4; j++) {
        const t = take();
        push(t.spec, t.data.slice());
      }
    }
  }
  return out;
}

/** The inverse of `fromTfjsLayout`: arrays in a tfjs model's layer order and layout. */
export function toTfjsLayout(plan: ModelPlan, weights: readonly NamedArray[]): Float32Array[] {
  const data = checkWeights(plan, weights, 'the weights');
  let k = 0;
  const out: Float32Array[] = [];
  for (const l of plan.layers) {
    if (l.kind === 'dense') {
      out.push(transpose2d(data[k++]!, l.units, l.inputs), data[k++]!.slice());
    } else if (l.kind === 'conv2d') {
      out.push(
        oihwToHwio(data[k++]!, l.kernelHeight, l.kernelWidth, l.inChannels, l.filters),
        data[k++]!.slice(),
      );
    } else if (l.kind === 'batchNormalization') {
      for (let j = 0; j < 4; j++) out.push(data[k++]!.slice());
    }
  }
  return out;
}
