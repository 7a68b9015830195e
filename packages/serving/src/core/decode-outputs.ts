import { decodeTarget, type Cell } from '@myelin/data';
import type { LoadedVersion } from '../loading/loaded-version.js';

/** One decoded instance output. */
export interface DecodedOutput {
  /** Classifiers: the predicted label (original type) and its class index. */
  label?: Cell;
  classIndex?: number;
  /** Classifiers: probability per class, in class order (binary: [1 − p, p]). */
  scores?: number[];
  /** Regression: the prediction on the target's scale. */
  value?: number;
}

/**
 * Turns `n` model output rows into labels with class probabilities (classifiers; the arg-max,
 * the lowest index on ties) or values on the target's scale (regression, standardisation undone).
 */
export function decodeOutputs(v: LoadedVersion, y: Float32Array, n: number): DecodedOutput[] {
  const enc = v.targetEncoder;
  const k = v.outputWidth;
  const out: DecodedOutput[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (enc.task === 'regression') {
      out[i] = { value: decodeTarget(enc, y[i * k] as number) as number };
      continue;
    }
    let scores: number[];
    if (k === 1) {
      const p = y[i] as number;
      scores = [1 - p, p];
    } else scores = Array.from(y.subarray(i * k, (i + 1) * k));
    let best = 0;
    for (let c = 1; c < scores.length; c++) if ((scores[c] as number) > (scores[best] as number)) best = c;
    out[i] = { label: decodeTarget(enc, best), classIndex: best, scores };
  }
  return out;
}
