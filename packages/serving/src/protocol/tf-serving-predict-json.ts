import type { PredictOutcome } from '../core/predict-types.js';

/** A number as `JSON.stringify` writes it: its shortest round-trip text, `null` when not finite. */
const num = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/**
 * The TF Serving row-format predict answer (`formatTfServingPredict(out, 'row')`) as JSON text,
 * byte for byte what `JSON.stringify` makes of that object, written straight from the outcome's
 * columns: no object or array per instance, each class label and the fixed keys spelt once.
 *
 * @example
 * tfServingRowJson(out) === JSON.stringify(formatTfServingPredict(out, 'row')); // true
 */
export function tfServingRowJson(out: PredictOutcome): string {
  const n = out.n;
  const ids = out.predictionIds;
  let s = `{"model_name":${JSON.stringify(out.model)},"model_version":${JSON.stringify(String(out.version))}`;
  if (out.classes) s += `,"classes":${JSON.stringify(out.classes)}`;
  s += ',"predictions":[';
  if (out.values) {
    const values = out.values;
    for (let i = 0; i < n; i++) {
      s += `${i === 0 ? '' : ','}{"value":${num(values[i] as number)},"prediction_id":${JSON.stringify(ids[i])}}`;
    }
  } else {
    const classes = out.classes ?? [];
    const labelJson = classes.map((c) => JSON.stringify(c));
    const labels = out.labels ?? [];
    const p = out.probabilities ?? new Float32Array(0);
    const k = classes.length;
    for (let i = 0; i < n; i++) {
      const label = labels[i] ?? null;
      const at = classes.indexOf(label);
      s += `${i === 0 ? '' : ','}{"label":${at >= 0 ? labelJson[at] : JSON.stringify(label)},"probabilities":[`;
      for (let j = 0; j < k; j++) s += (j === 0 ? '' : ',') + num(p[i * k + j] as number);
      s += `],"prediction_id":${JSON.stringify(ids[i])}}`;
    }
  }
  s += ']';
  if (out.warnings.length) s += `,"warnings":${JSON.stringify(out.warnings)}`;
  return `${s}}`;
}
