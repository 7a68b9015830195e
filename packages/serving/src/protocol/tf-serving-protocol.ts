import type { InstancePrediction, PredictOutcome } from '../core/predict-types.js';
import type { ServedVersion } from '../core/served-version.js';
import { badRequest } from '../util/serving-error.js';

/** A TF Serving predict body in neutral form. */
export interface TfServingInput {
  instances: unknown[];
  format: 'row' | 'columnar';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a TF Serving predict body: `instances` (row format: a list of instances) or `inputs`
 * (columnar: a list of rows, or an object of equal-length columns keyed by feature name), never
 * both. Each instance is a record keyed by feature name or an encoded numeric row.
 *
 * @example
 * parseTfServingBody({ inputs: { Island: ['Dream'], 'Body Mass (g)': [3800] } });
 * // { instances: [{ Island: 'Dream', 'Body Mass (g)': 3800 }], format: 'columnar' }
 */
export function parseTfServingBody(body: unknown): TfServingInput {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object with "instances" or "inputs"');
  const hasInstances = body.instances !== undefined;
  const hasInputs = body.inputs !== undefined;
  if (hasInstances && hasInputs)
    throw badRequest('send "instances" (row format) or "inputs" (columnar format), not both');
  if (!hasInstances && !hasInputs)
    throw badRequest('the body needs "instances" (row format) or "inputs" (columnar format)');
  if (hasInstances) {
    if (!Array.isArray(body.instances)) throw badRequest('"instances" must be a list');
    return { instances: body.instances, format: 'row' };
  }
  const inputs = body.inputs;
  if (Array.isArray(inputs)) return { instances: inputs, format: 'columnar' };
  if (!isRecord(inputs)) throw badRequest('"inputs" must be a list of rows or an object of columns');
  const names = Object.keys(inputs);
  if (names.length === 0) throw badRequest('"inputs" has no columns');
  let n = -1;
  for (const name of names) {
    const col = inputs[name];
    if (!Array.isArray(col)) throw badRequest(`inputs "${name}" must be a list (one value per instance)`);
    if (n >= 0 && col.length !== n)
      throw badRequest(`inputs "${name}" has ${col.length} values, the others ${n}`);
    n = col.length;
  }
  const instances: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const rec: Record<string, unknown> = {};
    for (const name of names) rec[name] = (inputs[name] as unknown[])[i];
    instances.push(rec);
  }
  return { instances, format: 'columnar' };
}

function rowOf(p: InstancePrediction): Record<string, unknown> {
  if (p.value !== undefined) return { value: p.value, predictionId: p.predictionId };
  return { label: p.label, probabilities: p.probabilities, scores: p.scores, predictionId: p.predictionId };
}

/**
 * The TF Serving predict answer: `predictions` (row format) or `outputs` (columnar), plus
 * `model_version`, the class labels and any warnings about the instances.
 */
export function formatTfServingPredict(
  out: PredictOutcome,
  format: 'row' | 'columnar',
): Record<string, unknown> {
  const head = {
    model_name: out.model,
    model_version: String(out.version),
    ...(out.classes ? { classes: out.classes } : {}),
  };
  const tail = out.warnings.length ? { warnings: out.warnings } : {};
  if (format === 'row') return { ...head, predictions: out.predictions.map(rowOf), ...tail };
  const p = out.predictions;
  const outputs =
    out.classes === null
      ? { value: p.map((x) => x.value), predictionId: p.map((x) => x.predictionId) }
      : {
          label: p.map((x) => x.label),
          scores: p.map((x) => x.scores),
          predictionId: p.map((x) => x.predictionId),
        };
  return { ...head, outputs, ...tail };
}

/** TF Serving's model status answer for the given versions. */
export function formatTfServingStatus(versions: ServedVersion[]): Record<string, unknown> {
  return {
    model_version_status: versions.map((v) => ({
      version: String(v.loaded.version),
      state: 'AVAILABLE',
      status: { error_code: 'OK', error_message: '' },
    })),
  };
}

/** TF Serving's metadata answer: the signature with input features and outputs. */
export function formatTfServingMetadata(v: ServedVersion): Record<string, unknown> {
  const l = v.loaded;
  const inputs: Record<string, unknown> = {};
  for (const f of l.preprocessor.features) {
    inputs[f.name] = {
      name: f.name,
      dtype: f.kind === 'category' ? 'DT_STRING' : f.kind === 'boolean' ? 'DT_BOOL' : 'DT_FLOAT',
      tensor_shape: { dim: [{ size: '-1' }] },
      ...(f.kind === 'category' ? { categories: f.categories } : {}),
    };
  }
  return {
    model_spec: { name: l.model, signature_name: 'serving_default', version: String(l.version) },
    metadata: {
      signature_def: {
        signature_def: {
          serving_default: {
            inputs,
            encoded_input: {
              dtype: 'DT_FLOAT',
              tensor_shape: { dim: [{ size: '-1' }, { size: String(l.inputWidth) }] },
              columns: l.preprocessor.outputNames,
            },
            outputs: l.classes
              ? {
                  label: { dtype: 'DT_STRING', tensor_shape: { dim: [{ size: '-1' }] } },
                  scores: {
                    dtype: 'DT_FLOAT',
                    tensor_shape: { dim: [{ size: '-1' }, { size: String(l.classes.length) }] },
                  },
                }
              : { value: { dtype: 'DT_FLOAT', tensor_shape: { dim: [{ size: '-1' }] } } },
            method_name: 'tensorflow/serving/predict',
          },
        },
      },
      task: l.targetEncoder.task,
      classes: l.classes,
      input_shape: l.inputShape,
      metrics: l.record.metrics,
    },
  };
}
