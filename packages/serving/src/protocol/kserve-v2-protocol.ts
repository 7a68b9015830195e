import type { PredictOutcome } from '../core/predict-types.js';
import type { ServedVersion } from '../core/served-version.js';
import { badRequest } from '../util/serving-error.js';

/** A V2 infer body in neutral form. */
export interface KserveInput {
  id: string | undefined;
  instances: unknown[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const NUMERIC = new Set([
  'FP16',
  'FP32',
  'FP64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
]);
const DATATYPES = new Set([...NUMERIC, 'BOOL', 'BYTES']);
/** Name of the single tensor that carries already-encoded rows. */
export const ENCODED_INPUT = 'input';

function flatten(v: unknown, out: unknown[], depth: number): void {
  if (Array.isArray(v)) {
    if (depth > 5) throw badRequest('tensor data is nested too deeply');
    for (const x of v) flatten(x, out, depth + 1);
  } else out.push(v);
}

/**
 * Reads an Open Inference Protocol (KServe V2) infer body. Either one tensor named `input`
 * holding encoded rows (FP32 etc., shape `[n, width]` or `[n, ...inputShape]`, data flat or
 * nested), or one tensor per feature named after the training columns (shape `[n]` or `[n, 1]`;
 * BYTES for categories, a numeric type for numbers, BOOL for booleans), turned into records.
 *
 * @example
 * parseKserveBody({ inputs: [{ name: 'Island', shape: [1], datatype: 'BYTES', data: ['Dream'] }] }, ['Island']);
 */
export function parseKserveBody(body: unknown, featureNames: readonly string[]): KserveInput {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object with "inputs"');
  const id = body.id === undefined ? undefined : typeof body.id === 'string' ? body.id : undefined;
  if (body.id !== undefined && id === undefined) throw badRequest('"id" must be a string');
  if (!Array.isArray(body.inputs) || body.inputs.length === 0)
    throw badRequest('"inputs" must be a non-empty list of tensors');
  const tensors = body.inputs.map((t: unknown, i: number) => {
    if (!isRecord(t)) throw badRequest(`inputs[${i}] must be an object with name, shape, datatype and data`);
    const { name, shape, datatype, data } = t;
    if (typeof name !== 'string' || name === '')
      throw badRequest(`inputs[${i}].name must be a non-empty string`);
    if (
      !Array.isArray(shape) ||
      shape.length === 0 ||
      !shape.every((s) => Number.isInteger(s) && (s as number) >= 0)
    ) {
      throw badRequest(`inputs[${i}] ("${name}"): shape must be a list of non-negative integers`);
    }
    if (typeof datatype !== 'string' || !DATATYPES.has(datatype)) {
      throw badRequest(`inputs[${i}] ("${name}"): datatype must be one of ${[...DATATYPES].join(', ')}`);
    }
    if (!Array.isArray(data)) throw badRequest(`inputs[${i}] ("${name}"): data must be a list`);
    const flat: unknown[] = [];
    flatten(data, flat, 0);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    if (flat.length !== size)
      throw badRequest(
        `inputs[${i}] ("${name}"): shape ${JSON.stringify(shape)} needs ${size} values, data has ${flat.length}`,
      );
    return { name, shape: shape as number[], datatype, flat, index: i };
  });
  const names = new Set(featureNames);
  const first = tensors[0]!;
  if (tensors.length === 1 && first.name === ENCODED_INPUT && !names.has(ENCODED_INPUT)) {
    if (!NUMERIC.has(first.datatype))
      throw badRequest(`inputs[0] ("input"): encoded rows need a numeric datatype, got ${first.datatype}`);
    const n = first.shape[0] as number;
    const width = n === 0 ? 0 : first.flat.length / n;
    const instances: unknown[] = [];
    for (let r = 0; r < n; r++) instances.push(first.flat.slice(r * width, (r + 1) * width));
    return { id, instances };
  }
  let n = -1;
  const seen = new Set<string>();
  for (const t of tensors) {
    if (!names.has(t.name)) {
      throw badRequest(
        `inputs[${t.index}]: "${t.name}" is not a feature of this model (features: ${featureNames.join(', ')}; or send one "input" tensor of encoded rows)`,
      );
    }
    if (seen.has(t.name)) throw badRequest(`inputs[${t.index}]: "${t.name}" is given twice`);
    seen.add(t.name);
    if (t.shape.length > 2 || (t.shape.length === 2 && t.shape[1] !== 1)) {
      throw badRequest(
        `inputs[${t.index}] ("${t.name}"): a feature tensor has shape [n] or [n, 1], got ${JSON.stringify(t.shape)}`,
      );
    }
    const rows = t.shape[0] as number;
    if (n >= 0 && rows !== n)
      throw badRequest(`inputs[${t.index}] ("${t.name}") has ${rows} rows, the others ${n}`);
    n = rows;
    if (t.datatype === 'BYTES' && t.flat.some((v) => typeof v !== 'string' && v !== null)) {
      throw badRequest(`inputs[${t.index}] ("${t.name}"): BYTES data must be strings`);
    }
    if (NUMERIC.has(t.datatype) && t.flat.some((v) => typeof v !== 'number' && v !== null)) {
      throw badRequest(`inputs[${t.index}] ("${t.name}"): ${t.datatype} data must be numbers`);
    }
    if (t.datatype === 'BOOL' && t.flat.some((v) => typeof v !== 'boolean' && v !== null)) {
      throw badRequest(`inputs[${t.index}] ("${t.name}"): BOOL data must be true or false`);
    }
  }
  const instances: Record<string, unknown>[] = [];
  for (let r = 0; r < n; r++) {
    const rec: Record<string, unknown> = {};
    for (const t of tensors) rec[t.name] = t.flat[r];
    instances.push(rec);
  }
  return { id, instances };
}

/** The V2 infer answer: label, probabilities (classifiers) or value (regression), and prediction ids. */
export function formatKserveInfer(out: PredictOutcome, id: string | undefined): Record<string, unknown> {
  const n = out.predictions.length;
  const p = out.predictions;
  const ids = { name: 'prediction_id', datatype: 'BYTES', shape: [n], data: p.map((x) => x.predictionId) };
  const outputs =
    out.classes === null
      ? [{ name: 'value', datatype: 'FP32', shape: [n], data: p.map((x) => x.value) }, ids]
      : [
          { name: 'label', datatype: 'BYTES', shape: [n], data: p.map((x) => String(x.label)) },
          {
            name: 'probabilities',
            datatype: 'FP32',
            shape: [n, out.classes.length],
            data: p.flatMap((x) => x.scores ?? []),
          },
          ids,
        ];
  return {
    model_name: out.model,
    model_version: String(out.version),
    ...(id !== undefined ? { id } : {}),
    ...(out.classes
      ? {
          parameters: {
            classes: out.classes.join(','),
            ...(out.warnings.length ? { warnings: JSON.stringify(out.warnings) } : {}),
          },
        }
      : out.warnings.length
        ? { parameters: { warnings: JSON.stringify(out.warnings) } }
        : {}),
    outputs,
  };
}

/** The V2 model metadata: versions, and each input and output with datatype and shape. */
export function formatKserveMetadata(
  name: string,
  versions: ServedVersion[],
  v: ServedVersion,
): Record<string, unknown> {
  const l = v.loaded;
  return {
    name,
    versions: versions.map((s) => String(s.loaded.version)),
    platform: 'tensorflowjs',
    inputs: l.preprocessor.features.map((f) => ({
      name: f.name,
      datatype: f.kind === 'category' ? 'BYTES' : f.kind === 'boolean' ? 'BOOL' : 'FP32',
      shape: [-1],
    })),
    outputs: l.classes
      ? [
          { name: 'label', datatype: 'BYTES', shape: [-1] },
          { name: 'probabilities', datatype: 'FP32', shape: [-1, l.classes.length] },
          { name: 'prediction_id', datatype: 'BYTES', shape: [-1] },
        ]
      : [
          { name: 'value', datatype: 'FP32', shape: [-1] },
          { name: 'prediction_id', datatype: 'BYTES', shape: [-1] },
        ],
    parameters: {
      version: String(l.version),
      task: l.targetEncoder.task,
      ...(l.classes ? { classes: l.classes.join(',') } : {}),
      encoded_input: `one tensor "${ENCODED_INPUT}", FP32, shape [-1, ${l.inputWidth}] (${l.preprocessor.outputNames.join(', ')})`,
    },
  };
}
