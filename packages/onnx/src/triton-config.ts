/** One tensor of a Triton model configuration (float32; dims without the batch dimension). */
export interface TritonTensor {
  name: string;
  dims: number[];
  /** A labels file in the model folder: Triton's classification extension maps outputs to labels. */
  labelFilename?: string;
}

/** What `tritonConfig` writes. */
export interface TritonConfigInput {
  /** The model's name: Triton requires it to equal the model folder's name. */
  name: string;
  input: TritonTensor;
  output: TritonTensor;
  /** Largest batch Triton forms; the graph's first dimension is the batch. @defaultValue 64 */
  maxBatchSize?: number;
}

const quote = (s: string): string => JSON.stringify(s);

/**
 * The `config.pbtxt` of an ONNX model in a Triton model repository (protobuf text format of
 * Triton's `ModelConfig`): platform `onnxruntime_onnx`, `max_batch_size` > 0 (so `dims` leave out
 * the batch dimension, which the graph declares as its symbolic first dimension), one FP32 input
 * and one FP32 output. KServe's Triton runtime reads the same repository.
 *
 * @example
 * tritonConfig({ name: 'penguins', input: { name: 'input', dims: [9] }, output: { name: 'output', dims: [3] } })
 */
export function tritonConfig(c: TritonConfigInput): string {
  const tensor = (t: TritonTensor): string[] => [
    '  {',
    `    name: ${quote(t.name)}`,
    '    data_type: TYPE_FP32',
    `    dims: [ ${t.dims.join(', ')} ]`,
    ...(t.labelFilename ? [`    label_filename: ${quote(t.labelFilename)}`] : []),
    '  }',
  ];
  return [
    `name: ${quote(c.name)}`,
    'platform: "onnxruntime_onnx"',
    `max_batch_size: ${c.maxBatchSize ?? 64}`,
    'input [',
    ...tensor(c.input),
    ']',
    'output [',
    ...tensor(c.output),
    ']',
    '',
  ].join('\n');
}
