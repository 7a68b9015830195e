/**
 * A strict proto3 JSON reader for the TF Serving messages the REST API answers with, to check
 * that an answer is what `JsonStringToMessage` (without `ignore_unknown_fields`) accepts: every key
 * a field of its message (proto name or lowerCamel JSON name), scalars of the field's JSON type,
 * enums by name, `Any` with an `@type` naming a known message. Field lists transcribed from
 * tensorflow_serving/apis/{get_model_metadata,get_model_status,model,status}.proto and
 * tensorflow/core/{protobuf/meta_graph,framework/tensor_shape,framework/types}.proto.
 */

type Scalar = 'string' | 'bool' | 'int64' | 'int64-wrapper';
interface Field {
  type: Scalar | { enum: string[] } | { message: string };
  repeated?: boolean;
  /** map<string, type> */
  map?: boolean;
}

const DATA_TYPES = [
  'DT_INVALID',
  'DT_FLOAT',
  'DT_DOUBLE',
  'DT_INT32',
  'DT_UINT8',
  'DT_INT16',
  'DT_INT8',
  'DT_STRING',
  'DT_COMPLEX64',
  'DT_INT64',
  'DT_BOOL',
  'DT_QINT8',
  'DT_QUINT8',
  'DT_QINT32',
  'DT_BFLOAT16',
  'DT_HALF',
  'DT_UINT32',
  'DT_UINT64',
];
const ERROR_CODES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
];

const MESSAGES: Record<string, Record<string, Field>> = {
  'tensorflow.serving.GetModelMetadataResponse': {
    model_spec: { type: { message: 'tensorflow.serving.ModelSpec' } },
    metadata: { type: { message: 'google.protobuf.Any' }, map: true },
  },
  'tensorflow.serving.ModelSpec': {
    name: { type: 'string' },
    version: { type: 'int64-wrapper' },
    version_label: { type: 'string' },
    signature_name: { type: 'string' },
  },
  'tensorflow.serving.SignatureDefMap': {
    signature_def: { type: { message: 'tensorflow.SignatureDef' }, map: true },
  },
  'tensorflow.SignatureDef': {
    inputs: { type: { message: 'tensorflow.TensorInfo' }, map: true },
    outputs: { type: { message: 'tensorflow.TensorInfo' }, map: true },
    method_name: { type: 'string' },
    defaults: { type: { message: 'tensorflow.TensorProto' }, map: true },
  },
  'tensorflow.TensorInfo': {
    name: { type: 'string' },
    dtype: { type: { enum: DATA_TYPES } },
    tensor_shape: { type: { message: 'tensorflow.TensorShapeProto' } },
  },
  'tensorflow.TensorShapeProto': {
    dim: { type: { message: 'tensorflow.TensorShapeProto.Dim' }, repeated: true },
    unknown_rank: { type: 'bool' },
  },
  'tensorflow.TensorShapeProto.Dim': { size: { type: 'int64' }, name: { type: 'string' } },
  'tensorflow.TensorProto': { dtype: { type: { enum: DATA_TYPES } } },
  'tensorflow.serving.GetModelStatusResponse': {
    model_version_status: { type: { message: 'tensorflow.serving.ModelVersionStatus' }, repeated: true },
  },
  'tensorflow.serving.ModelVersionStatus': {
    version: { type: 'int64' },
    state: { type: { enum: ['UNKNOWN', 'START', 'LOADING', 'AVAILABLE', 'UNLOADING', 'END'] } },
    status: { type: { message: 'tensorflow.serving.StatusProto' } },
  },
  'tensorflow.serving.StatusProto': {
    error_code: { type: { enum: ERROR_CODES } },
    error_message: { type: 'string' },
  },
};

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkScalar(type: Scalar, v: unknown, at: string, out: string[]): void {
  const int64 =
    (typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'number' && Number.isInteger(v));
  const ok = type === 'string' ? typeof v === 'string' : type === 'bool' ? typeof v === 'boolean' : int64;
  if (!ok) out.push(`${at}: ${JSON.stringify(v)} is not a proto3 JSON ${type}`);
}

function checkValue(field: Field, v: unknown, at: string, out: string[]): void {
  const t = field.type;
  if (typeof t === 'string') checkScalar(t, v, at, out);
  else if ('enum' in t) {
    if (!(typeof v === 'string' && t.enum.includes(v)) && !(typeof v === 'number' && Number.isInteger(v)))
      out.push(`${at}: ${JSON.stringify(v)} is not a value of the enum`);
  } else checkMessage(t.message, v, at, out);
}

function checkMessage(type: string, v: unknown, at: string, out: string[]): void {
  if (!isObject(v)) {
    out.push(`${at}: expected an object (${type})`);
    return;
  }
  if (type === 'google.protobuf.Any') {
    const url = v['@type'];
    const name = typeof url === 'string' ? url.slice(url.lastIndexOf('/') + 1) : '';
    if (!MESSAGES[name]) {
      out.push(`${at}: an Any needs "@type" naming a known message, got ${JSON.stringify(url)}`);
      return;
    }
    const { '@type': _, ...rest } = v;
    checkMessage(name, rest, at, out);
    return;
  }
  const fields = MESSAGES[type];
  if (!fields) throw new Error(`no definition of ${type}`);
  for (const [key, value] of Object.entries(v)) {
    const name = Object.keys(fields).find((f) => f === key || camel(f) === key);
    if (!name) {
      out.push(`${at}.${key}: no field "${key}" in ${type}`);
      continue;
    }
    const field = fields[name]!;
    if (field.map) {
      if (!isObject(value)) out.push(`${at}.${key}: a map must be an object`);
      else
        for (const [k, item] of Object.entries(value)) checkValue(field, item, `${at}.${key}["${k}"]`, out);
    } else if (field.repeated) {
      if (!Array.isArray(value)) out.push(`${at}.${key}: a repeated field must be a list`);
      else value.forEach((item, i) => checkValue(field, item, `${at}.${key}[${i}]`, out));
    } else checkValue(field, value, `${at}.${key}`, out);
  }
}

/** Every reason a strict proto3 JSON parser would refuse `json` as the message `type` ([] when it accepts it). */
export function protoJsonProblems(type: string, json: unknown): string[] {
  const out: string[] = [];
  checkMessage(type, json, '$', out);
  return out;
}
