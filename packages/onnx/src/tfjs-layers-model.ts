import { MyelinError } from '@myelin/errors';

/** The two files of a served tfjs layers model, as bytes. */
export interface TfjsModelFiles {
  /** `model.json`: the Keras-style topology and a weights manifest. */
  modelJson: Uint8Array;
  /** `weights.bin`: every weight, float32 little-endian, concatenated in manifest order. */
  weights: Uint8Array;
}

/** One layer of the topology: its Keras class name and config (snake_case keys, as tfjs writes them). */
export interface TfjsLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

/** A weight tensor, row-major as tfjs keeps it. */
export interface TfjsWeight {
  shape: number[];
  values: Float32Array;
}

/** A parsed sequential layers model. */
export interface TfjsLayersModel {
  /** Features of one input row (the model takes `[batch, inputSize]` floats). */
  inputSize: number;
  layers: TfjsLayer[];
  /** Weights by name (`<layer name>/<kernel|bias|gamma|beta|moving_mean|moving_variance>`). */
  weights: Map<string, TfjsWeight>;
}

function bad(detail: string): MyelinError {
  return new MyelinError('MYELIN_ERR_ONNX_EXPORT', `cannot export the model to ONNX: ${detail}`, {
    file: 'model.json',
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads a tfjs layers model (`model.json` + `weights.bin` as `serializeModel` in the training
 * package writes them and `tf.loadLayersModel` serves them): a `Sequential` topology whose first
 * layer carries `batch_input_shape [null, features]`, and float32 weights. Anything else —
 * another topology, other dtypes, a weights file of the wrong size — is `MYELIN_ERR_ONNX_EXPORT`.
 */
export function readTfjsLayersModel(files: TfjsModelFiles): TfjsLayersModel {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(files.modelJson).toString('utf8'));
  } catch {
    throw bad('model.json is not JSON');
  }
  if (!isObject(json) || !isObject(json.modelTopology)) throw bad('model.json has no modelTopology');
  const topology = isObject(json.modelTopology.model_config)
    ? json.modelTopology.model_config
    : json.modelTopology;
  if (topology.class_name !== 'Sequential' || !isObject(topology.config))
    throw bad(`only Sequential models are exported, not ${JSON.stringify(topology.class_name)}`);
  const rawLayers = topology.config.layers;
  if (!Array.isArray(rawLayers) || rawLayers.length === 0) throw bad('the model has no layers');
  const layers: TfjsLayer[] = rawLayers.map((l: unknown, i) => {
    if (!isObject(l) || typeof l.class_name !== 'string' || !isObject(l.config))
      throw bad(`layer ${i} is malformed`);
    return { className: l.class_name, name: String(l.config.name ?? `layer${i}`), config: l.config };
  });
  const first = layers[0]!.config.batch_input_shape;
  if (
    !Array.isArray(first) ||
    first.length !== 2 ||
    typeof first[1] !== 'number' ||
    !Number.isInteger(first[1]) ||
    first[1] <= 0
  )
    throw bad('the first layer must take flat rows (batch_input_shape [null, features])');

  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) throw bad('model.json has no weightsManifest');
  const specs = manifest.flatMap((g: unknown) => (isObject(g) && Array.isArray(g.weights) ? g.weights : []));
  const weights = new Map<string, TfjsWeight>();
  const bytes = files.weights;
  let offset = 0;
  for (const spec of specs as unknown[]) {
    if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape))
      throw bad('a weights manifest entry is malformed');
    if (spec.dtype !== undefined && spec.dtype !== 'float32')
      throw bad(`weight ${spec.name} is ${String(spec.dtype)}; only float32 weights are exported`);
    const shape = spec.shape.map(Number);
    const n = shape.reduce((a, b) => a * b, 1);
    if (offset + n * 4 > bytes.byteLength)
      throw bad(`weights.bin holds ${bytes.byteLength} bytes, shorter than the manifest needs`);
    const values = new Float32Array(n);
    const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * 4);
    for (let i = 0; i < n; i++) values[i] = view.getFloat32(i * 4, true);
    weights.set(spec.name, { shape, values });
    offset += n * 4;
  }
  if (offset !== bytes.byteLength)
    throw bad(`weights.bin holds ${bytes.byteLength} bytes, the manifest needs ${offset}`);
  return { inputSize: first[1], layers, weights };
}
