import type { InstanceBatch, PredictOutcome } from '../core/predict-types.js';
import type { ServedVersion } from '../core/served-version.js';
import type { LoadedVersion } from '../loading/loaded-version.js';
import { ENCODED_INPUT } from '../validation/encode-batch.js';
import { badRequest } from '../util/serving-error.js';
import { decodeBinaryTensor } from './binary-tensor.js';

export { ENCODED_INPUT };

/** A V2 infer body in neutral form. */
export interface KserveInput {
  id: string | undefined;
  batch: InstanceBatch;
  /** The `outputs` asked for by name, in order; null for all. */
  outputs: string[] | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const DATATYPES = new Set([
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BF16',
  'BYTES',
]);
const MAX_DATA_DEPTH = 8;

/** Flattens nested tensor data (row-major) into `out`. */
function flatten(v: unknown[], out: unknown[], depth: number, where: string): void {
  if (depth > MAX_DATA_DEPTH)
    throw badRequest(`${where}: tensor data is nested deeper than ${MAX_DATA_DEPTH}`);
  for (const x of v) {
    if (Array.isArray(x)) flatten(x, out, depth + 1, where);
    else out.push(x);
  }
}

/** The data of a tensor given in JSON, flat (nested data is flattened, flat data used as it is). */
function jsonData(data: unknown, where: string): ArrayLike<unknown> {
  if (!Array.isArray(data)) throw badRequest(`${where}: data must be a list`);
  if (!data.some(Array.isArray)) return data;
  const flat: unknown[] = [];
  flatten(data, flat, 0, where);
  return flat;
}

/**
 * Reads an Open Inference Protocol (KServe V2) infer body: `inputs` (each `name`, `shape`,
 * `datatype`, `data` flat or nested, or with the binary tensor data extension
 * `parameters.binary_data_size` bytes of `binary`, the body after the JSON header), optional `id`
 * (a string), `parameters`, and `outputs` (`[{ name }]`, to return only those). Tensors stay
 * columns: one tensor per feature (shape `[n]` or `[n, 1]`), or one tensor `input` of encoded
 * rows (`[n, width]` or `[n, ...inputShape]`); the version that answers checks the names.
 *
 * @example
 * parseKserveBody({ inputs: [{ name: 'Island', shape: [1], datatype: 'BYTES', data: ['Dream'] }] });
 */
export function parseKserveBody(body: unknown, binary?: Uint8Array): KserveInput {
  if (!isRecord(body)) throw badRequest('the body must be a JSON object with "inputs"');
  const id = body.id === undefined ? undefined : typeof body.id === 'string' ? body.id : undefined;
  if (body.id !== undefined && id === undefined) throw badRequest('"id" must be a string');
  if (!Array.isArray(body.inputs) || body.inputs.length === 0)
    throw badRequest('"inputs" must be a non-empty list of tensors');
  let outputs: string[] | null = null;
  if (body.outputs !== undefined) {
    if (!Array.isArray(body.outputs)) throw badRequest('"outputs" must be a list of { "name" }');
    outputs = body.outputs.map((o: unknown, i: number) => {
      if (!isRecord(o) || typeof o.name !== 'string')
        throw badRequest(`outputs[${i}] must be an object with a "name"`);
      return o.name;
    });
  }
  const columns: Record<string, ArrayLike<unknown>> = Object.create(null) as Record<
    string,
    ArrayLike<unknown>
  >;
  const width: Record<string, number> = {};
  const datatype: Record<string, string> = {};
  const position = new Map<string, number>();
  let n = -1;
  let offset = 0;
  body.inputs.forEach((t: unknown, i: number) => {
    if (!isRecord(t)) throw badRequest(`inputs[${i}] must be an object with name, shape, datatype and data`);
    const { name, shape, datatype: dt, data, parameters } = t;
    if (typeof name !== 'string' || name === '')
      throw badRequest(`inputs[${i}].name must be a non-empty string`);
    const where = `inputs[${i}] ("${name}")`;
    if (
      !Array.isArray(shape) ||
      shape.length === 0 ||
      !shape.every((s) => Number.isSafeInteger(s) && (s as number) >= 0)
    ) {
      throw badRequest(`${where}: shape must be a list of non-negative integers`);
    }
    if (typeof dt !== 'string' || !DATATYPES.has(dt)) {
      throw badRequest(`${where}: datatype must be one of ${[...DATATYPES].join(', ')}`);
    }
    if (position.has(name)) throw badRequest(`${where}: "${name}" is given twice`);
    const size = (shape as number[]).reduce((a, b) => a * b, 1);
    const binarySize = isRecord(parameters) ? parameters.binary_data_size : undefined;
    let flat: ArrayLike<unknown>;
    if (binarySize !== undefined) {
      if (!binary)
        throw badRequest(
          `${where}: binary_data_size without binary data (send the Inference-Header-Content-Length header)`,
        );
      if (
        !Number.isSafeInteger(binarySize) ||
        (binarySize as number) < 0 ||
        offset + (binarySize as number) > binary.length
      ) {
        throw badRequest(
          `${where}: binary_data_size ${String(binarySize)} does not fit the ${binary.length - offset} bytes left`,
        );
      }
      flat = decodeBinaryTensor(dt, binary.subarray(offset, offset + (binarySize as number)), size, where);
      offset += binarySize as number;
    } else {
      flat = jsonData(data, where);
    }
    if (flat.length !== size)
      throw badRequest(
        `${where}: shape ${JSON.stringify(shape)} needs ${size} values, data has ${flat.length}`,
      );
    const rows = shape[0] as number;
    if (n >= 0 && rows !== n) throw badRequest(`${where} has ${rows} rows, the others ${n}`);
    n = rows;
    position.set(name, i);
    columns[name] = flat;
    width[name] = rows === 0 ? 0 : size / rows;
    datatype[name] = dt;
  });
  if (binary && offset !== binary.length)
    throw badRequest(
      `${binary.length - offset} bytes of binary data after the last tensor's binary_data_size`,
    );
  return {
    id,
    outputs,
    batch: {
      kind: 'columns',
      n,
      columns,
      width,
      datatype,
      strictNames: true,
      where: (instance, field) =>
        field === null
          ? `instance ${instance}`
          : `inputs[${position.get(field) ?? 0}] ("${field}"), instance ${instance}`,
    },
  };
}

/** A version's V2 output tensors, in order. */
export function outputNames(v: LoadedVersion): string[] {
  return v.classes ? ['label', 'probabilities', 'prediction_id'] : ['value', 'prediction_id'];
}

/** Refuses requested outputs the version does not produce (400 naming them). */
export function checkOutputs(v: LoadedVersion, requested: string[] | null): void {
  if (!requested) return;
  const known = outputNames(v);
  const unknown = requested.filter((r) => !known.includes(r));
  if (unknown.length > 0) {
    throw badRequest(
      `unknown output ${unknown.map((u) => JSON.stringify(u)).join(', ')} (this model's outputs: ${known.join(', ')})`,
    );
  }
}

/**
 * The V2 infer answer: `label`, `probabilities` `[n, k]` (classifiers) or `value` (regression),
 * and `prediction_id` — only the `requested` ones when the request named outputs, in its order.
 * `parameters` carries the class order and any warnings (as JSON text).
 */
export function formatKserveInfer(
  out: PredictOutcome,
  id: string | undefined,
  requested: string[] | null = null,
): Record<string, unknown> {
  const n = out.n;
  const all: Record<string, Record<string, unknown>> = {
    prediction_id: { name: 'prediction_id', datatype: 'BYTES', shape: [n], data: out.predictionIds },
  };
  if (out.values) all.value = { name: 'value', datatype: 'FP64', shape: [n], data: out.values };
  else {
    all.label = { name: 'label', datatype: 'BYTES', shape: [n], data: out.labels!.map((l) => String(l)) };
    all.probabilities = {
      name: 'probabilities',
      datatype: 'FP32',
      shape: [n, out.classes!.length],
      data: Array.from(out.probabilities!),
    };
  }
  const order = out.values ? ['value', 'prediction_id'] : ['label', 'probabilities', 'prediction_id'];
  const outputs = (requested ?? order).map((name) => all[name]!);
  const parameters: Record<string, string> = {};
  if (out.classes) parameters.classes = out.classes.join(',');
  if (out.warnings.length) parameters.warnings = JSON.stringify(out.warnings);
  return {
    model_name: out.model,
    model_version: String(out.version),
    ...(id !== undefined ? { id } : {}),
    ...(Object.keys(parameters).length ? { parameters } : {}),
    outputs,
  };
}

/**
 * The V2 model metadata: versions, and each input and output with datatype and shape;
 * Myelin's extras (task, classes, the encoded input) as `properties` (strings), where the
 * protocol's OpenAPI file puts them.
 */
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
          { name: 'value', datatype: 'FP64', shape: [-1] },
          { name: 'prediction_id', datatype: 'BYTES', shape: [-1] },
        ],
    properties: {
      version: String(l.version),
      task: l.targetEncoder.task,
      ...(l.classes ? { classes: l.classes.join(',') } : {}),
      encoded_input: `one tensor "${ENCODED_INPUT}", FP32, shape [-1, ${l.inputWidth}] (${l.preprocessor.outputNames.join(', ')})`,
    },
  };
}

/** The V2 server metadata (`GET /v2`). */
export const SERVER_METADATA = {
  name: 'myelin',
  version: '0.1.0',
  extensions: ['binary_tensor_data', 'feedback', 'metrics'],
};
