import { showValue } from '@myelin/data';
import type { InstanceBatch, PredictOutcome } from '../core/predict-types.js';
import type { ServedVersion } from '../core/served-version.js';
import type { LoadedVersion } from '../loading/loaded-version.js';
import { badRequest } from '../util/serving-error.js';

/** A TF Serving request body in neutral form. */
export interface TfServingInput {
  batch: InstanceBatch;
  /** How the answer is shaped: `predictions` (row), `outputs` (columnar), or classify/regress `results`. */
  format: 'row' | 'columnar' | 'results';
  /** The `signature_name` asked for, if any. */
  signature: string | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const rowWhere = (instance: number, field: string | null): string =>
  `instance ${instance}${field === null ? '' : `, field "${field}"`}`;
const exampleWhere = (instance: number, field: string | null): string =>
  `examples[${instance}]${field === null ? '' : `, feature "${field}"`}`;

/** The signatures a version offers (GetModelMetadata lists them; `signature_name` picks one). */
export const SIGNATURES = {
  /** Raw features in, label / probabilities / prediction_id (or value / prediction_id) out. */
  predict: 'serving_default',
  /** One float tensor `input` of already-encoded rows in, the same outputs. */
  encoded: 'encoded',
  classification: 'classification',
  regression: 'regression',
} as const;

function signatureOf(body: Record<string, unknown>): string | undefined {
  const s = body.signature_name;
  if (s === undefined) return undefined;
  if (typeof s !== 'string') throw badRequest("'signature_name' key must be a string value.");
  return s;
}

/** Refuses a `signature_name` the version does not offer (TF Serving's 400). */
export function checkSignature(v: LoadedVersion, signature: string | undefined): void {
  if (signature === undefined || signature === '') return;
  const offered: string[] = [
    SIGNATURES.predict,
    SIGNATURES.encoded,
    v.classes ? SIGNATURES.classification : SIGNATURES.regression,
  ];
  if (!offered.includes(signature)) {
    throw badRequest(
      `Serving signature name: "${signature}" not found in signature def (offered: ${offered.join(', ')})`,
    );
  }
}

/**
 * Reads a TF Serving `:predict` body: `instances` (row format: a list of instances) or `inputs`
 * (columnar: an object of equal-length columns keyed by feature name, or a list of rows), never
 * both; optional `signature_name` (a string). Each row instance is a record keyed by feature name
 * or an encoded numeric row (flat or nested). Columns stay columns: no record is built per row.
 *
 * @example
 * parseTfServingBody({ inputs: { Island: ['Dream'], 'Body Mass (g)': [3800] } }).batch;
 * // { kind: 'columns', n: 1, columns: { Island: ['Dream'], … }, … }
 */
export function parseTfServingBody(body: unknown): TfServingInput {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object with "instances" or "inputs"');
  const signature = signatureOf(body);
  const hasInstances = body.instances !== undefined;
  const hasInputs = body.inputs !== undefined;
  if (hasInstances && hasInputs)
    throw badRequest('send "instances" (row format) or "inputs" (columnar format), not both');
  if (!hasInstances && !hasInputs)
    throw badRequest('the body needs "instances" (row format) or "inputs" (columnar format)');
  if (hasInstances) {
    if (!Array.isArray(body.instances)) throw badRequest('"instances" must be a list');
    return { batch: { kind: 'rows', rows: body.instances, where: rowWhere }, format: 'row', signature };
  }
  const inputs = body.inputs;
  if (Array.isArray(inputs))
    return { batch: { kind: 'rows', rows: inputs, where: rowWhere }, format: 'columnar', signature };
  if (!isRecord(inputs)) throw badRequest('"inputs" must be an object of columns or a list of rows');
  const names = Object.keys(inputs);
  if (names.length === 0) throw badRequest('"inputs" has no columns');
  let n = -1;
  const width: Record<string, number> = {};
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const name of names) {
    const col = inputs[name];
    if (!Array.isArray(col)) throw badRequest(`inputs "${name}" must be a list (one value per instance)`);
    if (n >= 0 && col.length !== n)
      throw badRequest(`inputs "${name}" has ${col.length} values, the others ${n}`);
    n = col.length;
    if (Array.isArray(col[0])) {
      // a tensor input (e.g. "input" of encoded rows): each instance's value flattened, row-major
      const flat = flattenRows(col, name);
      columns[name] = flat;
      width[name] = n === 0 ? 0 : flat.length / n;
    } else {
      columns[name] = col;
      width[name] = 1;
    }
  }
  return {
    batch: {
      kind: 'columns',
      n,
      columns,
      width,
      strictNames: false,
      where: (i, field) => `inputs "${field ?? names[0]}"[${i}]`,
    },
    format: 'columnar',
    signature,
  };
}

const MAX_TENSOR_DEPTH = 8;

/** Flattens each instance's nested list of a columnar input; every instance must give as many values. */
function flattenRows(col: unknown[], name: string): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (!Array.isArray(v)) {
      out.push(v);
      return;
    }
    if (depth > MAX_TENSOR_DEPTH)
      throw badRequest(`inputs "${name}" is nested deeper than ${MAX_TENSOR_DEPTH}`);
    for (const x of v) walk(x, depth + 1);
  };
  let width = -1;
  col.forEach((row, i) => {
    const before = out.length;
    walk(row, 0);
    const w = out.length - before;
    if (width >= 0 && w !== width)
      throw badRequest(`inputs "${name}"[${i}] has ${w} values, the first ${width}`);
    width = w;
  });
  return out;
}

/** A feature value of a TF Example as JSON sends it: a value, or a list holding one value. */
function exampleValue(v: unknown, i: number, name: string): unknown {
  if (!Array.isArray(v)) return v;
  if (v.length === 1) return v[0];
  if (v.length === 0) return null;
  throw badRequest(`${exampleWhere(i, name)}: a feature takes one value, got a list of ${v.length}`);
}

/**
 * Reads a TF Serving `:classify` / `:regress` body: `examples` (a list of objects of feature
 * values, each a value or a one-value list) and an optional `context` of features shared by every
 * example (a feature may not be in both), optional `signature_name`.
 *
 * @example
 * parseTfServingExamples({ context: { Island: 'Dream' }, examples: [{ 'Body Mass (g)': 3800 }] });
 */
export function parseTfServingExamples(body: unknown): TfServingInput {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object with "examples"');
  const signature = signatureOf(body);
  if (!Array.isArray(body.examples)) throw badRequest('"examples" must be a list of objects');
  const context = body.context;
  if (context !== undefined && !isRecord(context))
    throw badRequest('"context" must be an object of features');
  const shared = context ? Object.keys(context) : [];
  const rows = body.examples.map((ex: unknown, i: number) => {
    if (!isRecord(ex)) throw badRequest(`examples[${i}] must be an object of features, got ${showValue(ex)}`);
    const rec: Record<string, unknown> = {};
    for (const name of shared) rec[name] = exampleValue(context![name], i, name);
    for (const name of Object.keys(ex)) {
      if (context && Object.prototype.hasOwnProperty.call(context, name))
        throw badRequest(
          `${exampleWhere(i, name)}: "${name}" is in "context" too (a context feature must not appear in examples)`,
        );
      rec[name] = exampleValue(ex[name], i, name);
    }
    return rec;
  });
  return { batch: { kind: 'rows', rows, where: exampleWhere }, format: 'results', signature };
}

/** Per-instance output tensors, in class order. */
function probabilitiesOf(out: PredictOutcome, i: number): number[] {
  const k = out.classes!.length;
  const p = out.probabilities!;
  const row = new Array<number>(k);
  for (let j = 0, at = i * k; j < k; j++) row[j] = p[at + j] as number;
  return row;
}

/**
 * The TF Serving predict answer. Row format: `predictions`, one object of named output tensors
 * per instance (`label`, `probabilities` in class order, `prediction_id`; regression `value`,
 * `prediction_id`). Columnar: `outputs`, one tensor per name. Beside them (ignored by TF Serving
 * clients): `model_name`, `model_version`, `classes` and any `warnings` about the instances.
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
  const n = out.n;
  const ids = out.predictionIds;
  if (format === 'row') {
    const predictions = new Array<Record<string, unknown>>(n);
    for (let i = 0; i < n; i++) {
      predictions[i] = out.values
        ? { value: out.values[i], prediction_id: ids[i] }
        : { label: out.labels![i], probabilities: probabilitiesOf(out, i), prediction_id: ids[i] };
    }
    return { ...head, predictions, ...tail };
  }
  const outputs = out.values
    ? { value: out.values, prediction_id: ids }
    : {
        label: out.labels,
        probabilities: Array.from({ length: n }, (_, i) => probabilitiesOf(out, i)),
        prediction_id: ids,
      };
  return { ...head, outputs, ...tail };
}

/**
 * The `:classify` answer: `results`, per example every class's `[label, score]` in class order
 * (the label as text, as TF Serving's classify API has it);
 * `:regress`: `results`, one value per example. Beside them: `model_name`, `model_version`,
 * `prediction_ids` (for feedback) and any `warnings`.
 */
export function formatTfServingResults(out: PredictOutcome): Record<string, unknown> {
  const results = out.values
    ? out.values
    : Array.from({ length: out.n }, (_, i) => probabilitiesOf(out, i).map((p, k) => [String(out.classes![k]), p]));
  return {
    results,
    model_name: out.model,
    model_version: String(out.version),
    prediction_ids: out.predictionIds,
    ...(out.warnings.length ? { warnings: out.warnings } : {}),
  };
}

/** TF Serving's model status answer (GetModelStatusResponse) for the given versions. */
export function formatTfServingStatus(versions: ServedVersion[]): Record<string, unknown> {
  return {
    model_version_status: versions.map((v) => ({
      version: String(v.loaded.version),
      state: 'AVAILABLE',
      status: { error_code: 'OK', error_message: '' },
    })),
  };
}

type Dim = { size: string; name: string };
const shape = (...sizes: number[]): { dim: Dim[]; unknown_rank: boolean } => ({
  dim: sizes.map((s) => ({ size: String(s), name: '' })),
  unknown_rank: false,
});
const tensor = (name: string, dtype: string, ...sizes: number[]) => ({
  name,
  dtype,
  tensor_shape: shape(...sizes),
});

/** The output tensors of a version's predict signatures. */
function predictOutputs(l: LoadedVersion): Record<string, unknown> {
  return l.classes
    ? {
        label: tensor('label', 'DT_STRING', -1),
        probabilities: tensor('probabilities', 'DT_FLOAT', -1, l.classes.length),
        prediction_id: tensor('prediction_id', 'DT_STRING', -1),
      }
    : { value: tensor('value', 'DT_FLOAT', -1), prediction_id: tensor('prediction_id', 'DT_STRING', -1) };
}

/** The TF dtype of a feature: DT_STRING for categories, DT_BOOL for booleans, DT_FLOAT for numbers. */
export function tfDtype(kind: string): string {
  return kind === 'category' ? 'DT_STRING' : kind === 'boolean' ? 'DT_BOOL' : 'DT_FLOAT';
}

/**
 * TF Serving's metadata answer, a valid `GetModelMetadataResponse` in proto3 JSON: `model_spec`
 * and `metadata.signature_def` (an `Any` holding a `SignatureDefMap`, with its `@type` so a strict
 * proto parser reads it). Signatures: `serving_default` (one input per feature; predict),
 * `encoded` (one DT_FLOAT `input` of encoded rows; predict), and `classification` or
 * `regression`. Myelin's extras (categories, ranges, training metrics) are at
 * `GET …/features` instead (`formatTfServingFeatures`).
 */
export function formatTfServingMetadata(v: ServedVersion): Record<string, unknown> {
  const l = v.loaded;
  const inputs: Record<string, unknown> = {};
  for (const f of l.preprocessor.features) inputs[f.name] = tensor(f.name, tfDtype(f.kind), -1);
  const outputs = predictOutputs(l);
  const signatureDef: Record<string, unknown> = {
    [SIGNATURES.predict]: { inputs, outputs, method_name: 'tensorflow/serving/predict' },
    [SIGNATURES.encoded]: {
      inputs: { input: tensor('input', 'DT_FLOAT', -1, l.inputWidth) },
      outputs,
      method_name: 'tensorflow/serving/predict',
    },
    ...(l.classes
      ? {
          [SIGNATURES.classification]: {
            inputs,
            outputs: {
              classes: tensor('classes', 'DT_STRING', -1, l.classes.length),
              scores: tensor('scores', 'DT_FLOAT', -1, l.classes.length),
            },
            method_name: 'tensorflow/serving/classify',
          },
        }
      : {
          [SIGNATURES.regression]: {
            inputs,
            outputs: { outputs: tensor('outputs', 'DT_FLOAT', -1) },
            method_name: 'tensorflow/serving/regress',
          },
        }),
  };
  return {
    model_spec: { name: l.model, signature_name: '', version: String(l.version) },
    metadata: {
      signature_def: {
        '@type': 'type.googleapis.com/tensorflow.serving.SignatureDefMap',
        signature_def: signatureDef,
      },
    },
  };
}

/**
 * Myelin's description of a version's inputs (`GET /v1/models/{name}[…]/features`): per feature
 * its kind, TF and V2 dtypes, whether it is required, its categories or training range; the
 * encoded input (width, column names, shape inside the model), the task, classes and the
 * training metrics.
 */
export function formatTfServingFeatures(v: ServedVersion): Record<string, unknown> {
  const l = v.loaded;
  const columns = new Map(l.schema.columns.map((c) => [c.name, c]));
  return {
    model_name: l.model,
    model_version: String(l.version),
    task: l.targetEncoder.task,
    classes: l.classes,
    features: l.preprocessor.features.map((f) => {
      const col = columns.get(f.name);
      return {
        name: f.name,
        kind: f.kind,
        ...(f.kind === 'numeric' ? { source: f.source } : {}),
        dtype: tfDtype(f.kind),
        datatype: f.kind === 'category' ? 'BYTES' : f.kind === 'boolean' ? 'BOOL' : 'FP32',
        required: col?.nullable === false,
        ...(f.kind === 'category' ? { categories: f.categories } : {}),
        ...(f.kind === 'numeric' && f.stats.count > 0
          ? { range: [col?.min ?? f.stats.min, col?.max ?? f.stats.max] }
          : {}),
      };
    }),
    unseen: l.preprocessor.config.unseen,
    encoded_input: {
      name: 'input',
      width: l.inputWidth,
      columns: l.preprocessor.outputNames,
      shape: l.inputShape,
    },
    metrics: l.record.metrics,
  };
}
