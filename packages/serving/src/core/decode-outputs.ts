import { decodeTarget, type Cell, type TargetEncoder } from '@myelin/data';
import type { LoadedVersion } from '../loading/loaded-version.js';

/** Decoded model outputs of `n` instances, column by column. */
export interface DecodedOutputs {
  n: number;
  /** Classifiers: the predicted label (original type) per instance. */
  labels: Cell[] | null;
  /** Classifiers: the predicted class index per instance (the arg-max, the lowest index on ties). */
  classIndex: Int32Array | null;
  /** Classifiers: `n × k` probabilities in class order (binary: [1 − p, p]). */
  probabilities: Float32Array | null;
  /** Regression: the prediction on the target's scale. */
  values: number[] | null;
}

const labelsOf = new WeakMap<TargetEncoder, Cell[]>();

/** Each class index's label in the target's own type, decoded once per target encoder. */
export function classLabels(enc: TargetEncoder): Cell[] {
  let l = labelsOf.get(enc);
  if (!l) {
    l = enc.task === 'regression' ? [] : enc.classes.map((_, i) => decodeTarget(enc, i));
    labelsOf.set(enc, l);
  }
  return l;
}

/**
 * Turns `n` model output rows into labels with class probabilities (classifiers) or values on
 * the target's scale (regression, standardisation undone).
 */
export function decodeOutputs(v: LoadedVersion, y: Float32Array, n: number): DecodedOutputs {
  const enc = v.targetEncoder;
  const k = v.outputWidth;
  if (enc.task === 'regression') {
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) values[i] = decodeTarget(enc, y[i * k] as number) as number;
    return { n, labels: null, classIndex: null, probabilities: null, values };
  }
  const names = classLabels(enc);
  let probabilities: Float32Array;
  if (k === 1) {
    probabilities = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const p = y[i] as number;
      probabilities[2 * i] = 1 - p;
      probabilities[2 * i + 1] = p;
    }
  } else probabilities = y.length === n * k ? y : y.slice(0, n * k);
  const c = k === 1 ? 2 : k;
  const labels = new Array<Cell>(n);
  const classIndex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    const at = i * c;
    for (let j = 1; j < c; j++)
      if ((probabilities[at + j] as number) > (probabilities[at + best] as number)) best = j;
    classIndex[i] = best;
    labels[i] = names[best] as Cell;
  }
  return { n, labels, classIndex, probabilities, values: null };
}
